// Hostile input, property-based (fast-check): random and mutated values thrown at the event
// validator, the HTTP body decoder and the NDJSON file reader. Nothing crashes; nothing invalid is
// accepted (every accepted event keeps the invariants of spec/events.md that can be stated simply).
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { containsPan, EVENT_TYPES, isPosopsError, validateEvent, validateLine } from '../domain/index.ts';
import { readNdjsonFile } from '../ingest/index.ts';
import { decodeEventsBody } from '../server/events.body.ts';

const valid = { v: 1, id: 'e1', type: 'heartbeat', terminal: 'T0000001', ts: '2026-11-20T18:00:00Z', net: { type: '4g', rssi_dbm: -80 }, battery: { level_pct: 80 }, printer: 'ok', tamper: false };

function assertSound(event: Record<string, unknown>): void {
  assert.equal(event['v'], 1);
  assert.ok((EVENT_TYPES as readonly unknown[]).includes(event['type']), `type ${String(event['type'])}`);
  assert.match(String(event['terminal']), /^[A-Za-z0-9._-]{1,64}$/);
  assert.ok(typeof event['id'] === 'string' && event['id'].length > 0);
  assert.equal(event['tsMs'], Date.parse(String(event['ts'])));
  assert.ok(Number.isFinite(event['tsMs']));
  for (const text of strings(event)) assert.equal(containsPan(text), false, `a full card number was accepted in "${text}"`);
}

function strings(x: unknown): string[] {
  if (typeof x === 'string') return [x];
  if (x && typeof x === 'object') return Object.values(x).flatMap(strings);
  return [];
}

test('validateEvent() never throws on any value, and what it accepts is sound', () => {
  fc.assert(
    fc.property(fc.anything({ withNullPrototype: true, withBigInt: true, withDate: true, withTypedArray: true, withSparseArray: true }), (x) => {
      const r = validateEvent(x);
      if (r.ok) assertSound(r.event as unknown as Record<string, unknown>);
    }),
    { numRuns: 2000 },
  );
});

test('validateEvent() on a valid event with one field replaced by a random value: sound or refused', () => {
  const keys = [...Object.keys(valid), 'code', 'message', 'amount', 'rc', 'apps', 'versions', 'reader'];
  fc.assert(
    fc.property(fc.constantFrom(...keys), fc.anything(), fc.boolean(), (key, value, drop) => {
      const mutated: Record<string, unknown> = { ...valid };
      if (drop) delete mutated[key];
      else mutated[key] = value;
      const r = validateEvent(mutated);
      if (r.ok) assertSound(r.event as unknown as Record<string, unknown>);
      if (drop && ['v', 'id', 'type', 'terminal', 'ts'].includes(key)) assert.equal(r.ok, false, `accepted without ${key}`);
    }),
    { numRuns: 2000 },
  );
});

test('validateEvent() refuses any event carrying a full card number in a text field', () => {
  fc.assert(
    fc.property(fc.constantFrom('4111111111111111', '5500005555555559', '378282246310005', '6011111111111117'), fc.string({ maxLength: 20 }).map((s) => s.replace(/\d/g, '')), (pan, around) => {
      assert.ok(containsPan(pan), `${pan} is a card number`);
      const r = validateEvent({ ...valid, type: 'error', code: 'CARD_READ_FAIL', message: `${around} ${pan} ${around}` });
      assert.equal(r.ok, false);
    }),
    { numRuns: 200 },
  );
});

test('validateLine() never throws on any text, including mangled JSON', () => {
  const line = JSON.stringify(valid);
  fc.assert(
    fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 }), fc.tuple(fc.nat(line.length), fc.nat(line.length), fc.string({ maxLength: 5 })).map(([a, b, s]) => line.slice(0, Math.min(a, b)) + s + line.slice(Math.max(a, b)))), (text) => {
      const r = validateLine(text);
      if (r.ok) assertSound(r.event as unknown as Record<string, unknown>);
    }),
    { numRuns: 2000 },
  );
});

test('decodeEventsBody() reads any body or refuses it with INGEST_BODY_UNREADABLE, never anything else', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string({ maxLength: 500 }), fc.json(), fc.array(fc.json(), { maxLength: 5 }).map((l) => l.join('\n'))), fc.constantFrom(undefined, 'application/json', 'application/x-ndjson', 'text/plain; charset=utf-8'), (body, type) => {
      try {
        const d = decodeEventsBody(Buffer.from(body), type);
        assert.equal(d.items.length, d.indexes.length);
      } catch (e) {
        assert.ok(isPosopsError(e, 'INGEST_BODY_UNREADABLE'), String(e));
      }
    }),
    { numRuns: 1000 },
  );
});

test('readNdjsonFile() reads random files without throwing; each line comes back whole, in order', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'posops-ndjson-prop-'));
  try {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ unit: 'grapheme', maxLength: 60 }).map((s) => s.replace(/[\r\n]/g, '')), { maxLength: 30 }), async (lines) => {
        const path = join(dir, 'events.ndjson');
        await writeFile(path, lines.join('\n'));
        const got: string[] = [];
        for await (const l of readNdjsonFile(path)) got.push(l.text);
        assert.deepEqual(got.filter((t) => t.trim() !== ''), lines.filter((t) => t.trim() !== ''));
      }),
      { numRuns: 100 },
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
