'use strict';

const test = require('node:test');
const assert = require('node:assert');
const { largest } = require('../max.js');

test('largest returns the largest number', () => {
  assert.strictEqual(largest([3, 9, 4]), 9);
});
