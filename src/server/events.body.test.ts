import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isPosopsError } from '../domain/index.ts';
import { decodeEventsBody, splitJsonArray } from './events.body.ts';

test('decodeEventsBody() takes one object, an array, or NDJSON', () => {
  assert.deepEqual(decodeEventsBody(Buffer.from('{"a":1}'), 'application/json').items, [{ a: 1 }]);
  assert.deepEqual(decodeEventsBody(Buffer.from('[{"a":1},{"a":2}]'), 'application/json').items, [{ a: 1 }, { a: 2 }]);
  const nd = decodeEventsBody(Buffer.from('{"a":1}\n\n{"a":2}\n'), 'application/x-ndjson');
  assert.deepEqual(nd.items, ['{"a":1}', '{"a":2}']);
  assert.deepEqual(nd.indexes, [0, 2]);
});

test('splitJsonArray() keeps the good elements beside a broken one', () => {
  assert.deepEqual(splitJsonArray('[{"a":"x,]"}, {"b":[1,2]}, {broken]'), ['{"a":"x,]"}', '{"b":[1,2]}', '{broken']);
  assert.equal(splitJsonArray('{"a":1}'), undefined);
});

test('decodeEventsBody() refuses a body that cannot be read at all, saying why', () => {
  for (const [body, pattern] of [
    ['', /empty/],
    ['hello', /not JSON/],
    ['42', /one event object/],
    ['[]', /empty array/],
  ] as const) {
    assert.throws(
      () => decodeEventsBody(Buffer.from(body), 'application/json'),
      (err: unknown) => isPosopsError(err, 'INGEST_BODY_UNREADABLE') && pattern.test(err.message),
    );
  }
});
