import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KeySet } from './diagnose.keys.ts';

test('KeySet answers like a Set<number> for 53-bit keys, across growth, including 0 and colliding low bits', () => {
  const set = new KeySet();
  const ref = new Set<number>();
  let x = 12345;
  const keys: number[] = [0, 2 ** 53 - 1, 2 ** 32, 2 ** 33, 2 ** 32 + 1, 1];
  for (let i = 0; i < 200_000; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    keys.push(x * 2 ** 21 + (i % 1000)); // many keys share their low 32 bits' pattern
  }
  for (const k of [...keys, ...keys.slice(0, 5000)]) assert.equal(set.add(k), !ref.has(k) && (ref.add(k), true));
  assert.equal(set.size, ref.size);
  for (const k of keys.slice(0, 1000)) assert.ok(set.has(k));
  assert.equal(set.has(7), false);
});
