// The hand-written pre-check answers exactly like the LONG_DIGIT_RUN regex it replaces.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { hasLongDigitRun, LONG_DIGIT_RUN } from './pan.ts';

test('hasLongDigitRun() equals LONG_DIGIT_RUN.test() on digits, spaces, dashes and letters in any mix', () => {
  const char = fc.constantFrom('0', '1', '7', '9', ' ', '-', '--', '  ', 'a', '"', ':', 'T');
  fc.assert(
    fc.property(fc.array(char, { maxLength: 80 }), (parts) => {
      const text = parts.join('');
      assert.equal(hasLongDigitRun(text), LONG_DIGIT_RUN.test(text), JSON.stringify(text));
    }),
    { numRuns: 20_000 },
  );
});

test('hasLongDigitRun() on the usual cases', () => {
  for (const yes of ['4111111111111111', 'x 4111 1111 1111 1111', '4111-1111-1111-1', '1234567890123', 'ab"1 2 3 4 5 6 7 8 9 0 1 2 3"']) assert.equal(hasLongDigitRun(yes), true, yes);
  for (const no of ['2026-06-04T09:37:49Z', '123456789012', '1234 5678  90123', '12--34567890123', '{"uptime_s":856802,"storage_free_mb":3936}']) assert.equal(hasLongDigitRun(no), false, no);
});
