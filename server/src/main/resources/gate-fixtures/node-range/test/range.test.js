'use strict';

const test = require('node:test');
const assert = require('node:assert');
const { range } = require('../range.js');

test('range returns n numbers from 0', () => {
  assert.deepStrictEqual(range(4), [0, 1, 2, 3]);
});
