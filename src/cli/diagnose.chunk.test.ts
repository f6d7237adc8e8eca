import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { digestChunk, digestEvents } from './diagnose.chunk.ts';

const LINES = [
  '{"v":1,"id":"14i6ll","type":"heartbeat","terminal":"T1003786","ts":"2026-09-10T12:06:32Z","net":{"type":"ethernet","host_rtt_ms":40,"dns_ok":true},"env":{"temp_c":33.3},"printer":"ok","mem_free_mb":1218,"storage_free_mb":4356,"versions":{"firmware":"7.10.1","app":"3.4.2"},"reader":{"chip":"ok","contactless":"ok","magstripe":"ok"},"screen":"ok","keypad":"ok","tamper":false,"uptime_s":212400}',
  '{"v":1,"id":"8eqx5","type":"heartbeat","terminal":"T1007366","ts":"2026-09-10T12:06:34Z","net":{"type":"4g","carrier":"CMCC","rssi_dbm":-88,"host_rtt_ms":107,"dns_ok":true},"battery":{"level_pct":75,"charging":true,"health_pct":74},"apps":["eleme@11.0.5","meituan@12.3.1"],"uptime_s":770402}',
  '{"v":1,"id":"ukp01","type":"txn","terminal":"T1009905","ts":"2026-09-10T12:07:33Z","stan":49724,"entry":"contactless","amount":3290,"rc":"00","latency_ms":379,"operator":"01","bin":"622202"}',
  '{"v":1,"id":"q5w6h","type":"error","terminal":"T1003360","ts":"2026-09-10T12:09:37Z","code":"HOST_TIMEOUT","message":"no response after TLS renegotiation","operator":"02"}',
  '{"v":1,"id":"pxzgn","type":"boot","terminal":"T1008629","ts":"2026-09-10T12:31:25Z","reason":"user"}',
  '{"v":1,"id":"kdr54","type":"update","terminal":"T1005063","ts":"2026-09-10T13:06:21Z","component":"app","from":"2.20.1","to":"2.22.0","status":"downloading","campaign":"CMP-APP-01"}',
  '{"v":1,"id":"z","type":"txn","terminal":"T1","ts":"2026-06-04T01:00:00Z","bin":"6228480012345678"}',
  '{"v":1,"id":"z2","type":"error","terminal":"T1","ts":"2026-06-04T01:00:00Z","code":"X","message":"card 4111 1111 1111 1111"}',
  'not json',
  '',
  '   ',
];

const EDITS = [' ', '\\u0030', 'e2', '.0', '-', ',', '}', '"', 'x', '', '\r', '\ufeff', '1111111111111'];

const chunk = fc
  .array(
    fc.tuple(fc.constantFrom(...LINES), fc.nat(), fc.constantFrom(...EDITS), fc.boolean()).map(([l, at, s, edit]) => {
      if (!edit) return l;
      const i = at % (l.length + 1);
      return l.slice(0, i) + s + l.slice(i + (s === '' ? 1 : 0));
    }),
    { maxLength: 30 },
  )
  .chain((lines) => fc.tuple(fc.constant(lines), fc.constantFrom('\n', '\r\n'), fc.boolean(), fc.boolean()));

test('digestChunk() gives the same digest with and without the scanner fast path, in both forms', () => {
  fc.assert(
    fc.property(chunk, ([lines, eol, bom, lastBreak]) => {
      const text = (bom ? '\ufeff' : '') + lines.join(eol) + (lastBreak ? eol : '');
      for (const form of ['events', 'shapes'] as const) {
        const fast = digestChunk(text, true, form, true);
        const full = digestChunk(text, true, form, false);
        assert.deepEqual(fast.invalid, full.invalid);
        assert.deepEqual([...fast.keys], [...full.keys]);
        assert.equal(fast.lines, full.lines);
        assert.equal(JSON.stringify(digestEvents(fast)), JSON.stringify(digestEvents(full)));
      }
    }),
    { numRuns: 3_000 },
  );
});

test('digestChunk() reports bad lines by index with the validator\'s message when the fast path is on', () => {
  const text = [LINES[0], 'not json', LINES[6], LINES[7], LINES[2]!.replace('"rc":"00"', '"rc":5')].join('\n');
  const d = digestChunk(text, true);
  assert.deepEqual(d.invalid.map((i) => i.index), [1, 2, 3, 4]);
  assert.match(d.invalid[0]!.error, /^not valid JSON/);
  assert.match(d.invalid[1]!.error, /^bin must be 6-8 digits \(a full card number is refused\)/);
  assert.match(d.invalid[2]!.error, /^message holds what looks like a full card number/);
  assert.match(d.invalid[3]!.error, /^rc /);
  assert.equal(digestEvents(d).length, 1);
});
