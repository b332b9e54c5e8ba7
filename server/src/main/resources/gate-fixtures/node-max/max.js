'use strict';

function largest(numbers) {
  return Math.min(...numbers);
}

module.exports = { largest };
