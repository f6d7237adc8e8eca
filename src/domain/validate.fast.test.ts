// The scanner (validate.fast.ts) is never wider than JSON.parse + validateParsed: on random valid
// and invalid lines it either answers undefined (the full path decides) or gives the full path's
// event, keys in the same order.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { EVENT_TYPES } from './event.ts';
import { scanEvent } from './validate.fast.ts';
import { parseTimestamp, validateLine } from './validate.ts';

/** The full path's answer and the scanner's must agree; returns whether the scanner accepted. */
function agree(line: string): boolean {
  const fast = scanEvent(line);
  const full = validateLine(line);
  if (fast === undefined) return false;
  assert.ok(full.ok, `the scanner accepted what the validator refuses (${full.ok ? '' : full.error}): ${line}`);
  assert.equal(JSON.stringify(fast), JSON.stringify(full.event), line);
  assert.deepEqual(fast, full.event, line);
  return true;
}

// values valid for some field, invalid for others, and the awkward ones
const digits = (min: number, max: number): fc.Arbitrary<string> => fc.array(fc.constantFrom(...'0123456789'), { minLength: min, maxLength: max }).map((a) => a.join(''));
const text = fc.oneof(
  fc.constantFrom('', 'ok', 'fault', 'CMCC', '01', '00', 'Z3', '4g', 'wifi', 'heartbeat', 'app@1.2', 'a@b@c', '@x', 'x@', 'APP_CRASH', 'A0', 'CNY', 'cny', '622848', '62284800', '622848001', '4111 1111 1111 1111', '4111-1111-1111-1111', 'card 4111111111111111', '1234567890123', 'tab\there', 'é@1', 'x y@1', 'power_on', 'chip'),
  digits(1, 20),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
  fc.string({ minLength: 60, maxLength: 70 }),
);
const number = fc.oneof(
  fc.integer({ min: -200, max: 2_000_000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -300, max: 300 }),
  fc.constantFrom(0, -0, 0.1, 100, 100.5, -140, -140.1, 2 ** 53, 1e21, 123456789012345, 1234567890123456),
);
const scalar = fc.oneof(text, number, fc.boolean(), fc.constant(null));
const json = fc.oneof(scalar, fc.array(text, { maxLength: 3 }), fc.dictionary(fc.constantFrom('type', 'carrier', 'rssi_dbm', 'chip', 'firmware', 'app', 'temp_c', 'level_pct', 'x'), scalar, { maxKeys: 4 }));

/** Numbers as devices send them: a few decimals. */
const tenths = (min: number, max: number): fc.Arbitrary<number> => fc.integer({ min, max }).map((n) => n / 10);

const KEYS = ['net', 'battery', 'env', 'printer', 'mem_free_mb', 'storage_free_mb', 'versions', 'apps', 'reader', 'screen', 'keypad', 'tamper', 'uptime_s', 'mti', 'stan', 'entry', 'amount', 'currency', 'rc', 'timeout', 'latency_ms', 'operator', 'bin', 'merchant', 'code', 'message', 'app', 'reason', 'component', 'from', 'to', 'status', 'campaign', 'symptom', 'text', 'channel', 'tsMs', 'extra'];

const goodValue: Record<string, fc.Arbitrary<unknown>> = {
  net: fc.record({ type: fc.constantFrom('ethernet', 'wifi', '4g'), carrier: fc.constantFrom('CMCC', 'CUCC'), rssi_dbm: fc.integer({ min: -140, max: 0 }), host_rtt_ms: tenths(0, 50_000), dns_ok: fc.boolean() }, { requiredKeys: [] }),
  battery: fc.record({ level_pct: fc.integer({ min: 0, max: 100 }), charging: fc.boolean(), health_pct: tenths(0, 1000) }, { requiredKeys: [] }),
  env: fc.record({ temp_c: tenths(-1000, 2000), humidity_pct: fc.integer({ min: 0, max: 100 }) }, { requiredKeys: [] }),
  versions: fc.record({ firmware: fc.constantFrom('7.10.1', '2.3.5'), app: fc.constantFrom('3.4.2', '') }, { requiredKeys: [] }),
  apps: fc.array(fc.constantFrom('eleme@11.0.5', 'meituan@12.3.1', 'pay@1'), { maxLength: 3 }),
  reader: fc.record({ chip: fc.constantFrom('ok', 'fault'), contactless: fc.constantFrom('ok', 'fault'), magstripe: fc.constantFrom('ok', 'fault') }, { requiredKeys: [] }),
  printer: fc.constantFrom('ok', 'paper_out', 'none'),
  screen: fc.constantFrom('ok', 'fault'),
  keypad: fc.constantFrom('ok', 'fault'),
  tamper: fc.boolean(),
  mem_free_mb: fc.nat(),
  storage_free_mb: fc.nat(),
  uptime_s: fc.nat(),
  mti: fc.constantFrom('0100', '0200'),
  stan: fc.oneof(fc.nat(), digits(1, 12)),
  entry: fc.constantFrom('chip', 'contactless', 'qr'),
  amount: fc.nat(),
  currency: fc.constantFrom('CNY', 'USD'),
  rc: fc.constantFrom('00', '51', 'Z3', null),
  timeout: fc.boolean(),
  latency_ms: fc.nat(),
  operator: fc.constantFrom('01', '02'),
  bin: digits(6, 8),
  merchant: fc.constantFrom('M1', 'M22'),
  code: fc.constantFrom('APP_CRASH', 'HOST_TIMEOUT', 'E1'),
  message: fc.constantFrom('no response', 'TLS 1.0 rejected'),
  app: fc.constantFrom('pay@3.2.0', 'x@1'),
  reason: fc.constantFrom('user', 'crash', 'because'),
  component: fc.constantFrom('app', 'firmware'),
  from: fc.constantFrom('2.20.1'),
  to: fc.constantFrom('2.22.0'),
  status: fc.constantFrom('installed', 'failed'),
  campaign: fc.constantFrom('CMP-APP-01'),
  symptom: fc.constantFrom('slow', 'other'),
  text: fc.constantFrom('it is slow'),
  channel: fc.constantFrom('phone', 'field'),
};

const timestamp = fc.oneof(
  fc.date({ min: new Date('1000-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().replace('.000', '')),
  fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 61 }), fc.integer({ min: 0, max: 61 }), fc.constantFrom('Z', 'z', '.5Z', '.123Z', '.1234Z', '+08:00', '.131+08:00', '-05:30', '+23:59', '+24:00', '-00:60', '+0800', '+08:0', ''))
    .map(([y, mo, d, h, mi, s, z]) => `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}T${String(h).padStart(2, '0')}:${String(mi).padStart(2, '0')}:${String(s).padStart(2, '0')}${z}`),
  text,
);

/** A line from key/value pairs (duplicates kept), in the order given. */
const line = (pairs: [string, unknown][]): string => `{${pairs.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'}`).join(',')}}`;

const event = fc
  .record({
    v: fc.oneof(fc.constant(1), fc.constant(1), fc.constantFrom(2, '1', 1.5)),
    id: fc.oneof(fc.string({ minLength: 1, maxLength: 8 }), digits(13, 13), fc.constantFrom('', 'x'.repeat(65))),
    type: fc.oneof(fc.constantFrom(...EVENT_TYPES), fc.constantFrom('bogus', 'Heartbeat')),
    terminal: fc.oneof(fc.constantFrom('T1003786', 'a.b_c-D', '1234567890123', 'bad id!', ''), fc.string({ maxLength: 4 })),
    ts: timestamp,
    body: fc.array(fc.constantFrom(...KEYS).chain((k) => fc.tuple(fc.constant(k), fc.oneof({ weight: 4, arbitrary: goodValue[k] ?? json }, { weight: 1, arbitrary: json }))), { maxLength: 8 }),
    envelopeOrder: fc.oneof({ weight: 5, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  })
  .map((e) => {
    const envelope: [string, unknown][] = [['v', e.v], ['id', e.id], ['type', e.type], ['terminal', e.terminal], ['ts', e.ts]];
    if (e.envelopeOrder) envelope.reverse();
    return line([...envelope, ...e.body]);
  });

const BODY_KEYS: Record<string, string[]> = {
  heartbeat: ['net', 'battery', 'env', 'printer', 'mem_free_mb', 'storage_free_mb', 'versions', 'apps', 'reader', 'screen', 'keypad', 'tamper', 'uptime_s'],
  txn: ['mti', 'stan', 'entry', 'amount', 'currency', 'rc', 'timeout', 'latency_ms', 'operator', 'bin', 'merchant'],
  error: ['code', 'message', 'entry', 'app', 'operator'],
  boot: ['reason'],
  update: ['component', 'from', 'to', 'status', 'reason', 'campaign'],
  report: ['symptom', 'text', 'channel'],
};

/** Mostly valid events: a type's own keys (a few in another order), good values, now and then one bad. */
const deviceEvent = fc
  .tuple(
    fc.constantFrom(...EVENT_TYPES),
    fc.oneof(fc.stringMatching(/^[a-z0-9]{1,8}$/), digits(13, 13)),
    fc.stringMatching(/^[A-Za-z0-9._-]{1,12}$/),
    timestamp,
    fc.infiniteStream(fc.tuple(fc.boolean(), fc.nat(), fc.integer({ min: 0, max: 20 }))),
    fc.array(fc.tuple(fc.nat(), json), { maxLength: 1 }),
  )
  .chain(([type, id, terminal, ts, choices, bad]) => {
    const keys = BODY_KEYS[type]!;
    const pick = keys.filter(() => choices.next().value[0]);
    if (type === 'error' && !pick.includes('code') && choices.next().value[2] > 2) pick.unshift('code');
    const swap = choices.next().value;
    if (swap[2] === 0 && pick.length > 1) pick.push(pick.shift()!);
    return fc.tuple(...pick.map((k) => goodValue[k]!)).map((values) => {
      const pairs: [string, unknown][] = pick.map((k, i) => [k, values[i]]);
      for (const [at, v] of bad) pairs[at % (pairs.length || 1)] = [pairs[at % (pairs.length || 1)]?.[0] ?? 'code', v];
      return line([['v', 1], ['id', id], ['type', type], ['terminal', terminal], ['ts', ts], ...pairs]);
    });
  });

/** Small edits the scanner must notice: spaces, escapes, exponents, cut lines, stray characters. */
const edited = fc.tuple(fc.oneof(event, deviceEvent), fc.nat(), fc.constantFrom(' ', '\\u0030', '\\"', 'e2', 'E-1', '.0', '0', '-', ',', '}', ']', '"', '{', ':', '\t', 'x', '', '1111111111111')).map(([l, at, s]) => {
  const i = at % (l.length + 1);
  return l.slice(0, i) + s + l.slice(i + (s === '' ? 1 : 0));
});

test('scanEvent() accepts only what JSON.parse + validateParsed accept, and gives the same event', () => {
  let accepted = 0;
  fc.assert(
    fc.property(fc.oneof(event, deviceEvent), (l) => {
      if (agree(l)) accepted++;
    }),
    { numRuns: 30_000 },
  );
  assert.ok(accepted > 3_000, `the scanner took only ${accepted} of 30,000 lines`);
});

test('scanEvent() agrees with the validator on lines with small edits', () => {
  fc.assert(
    fc.property(edited, (l) => {
      agree(l);
    }),
    { numRuns: 30_000 },
  );
});

test('scanEvent() parses timestamps and numbers exactly as Date.parse and JSON.parse do', () => {
  const base = '{"v":1,"id":"a","type":"heartbeat","terminal":"T1","ts":';
  fc.assert(
    fc.property(timestamp, fc.double({ noNaN: true, noDefaultInfinity: true, min: 0, max: 1e6 }), (ts, n) => {
      agree(`${base}${JSON.stringify(ts)}}`);
      agree(`${base}"2026-09-10T12:06:32Z","uptime_s":${n}}`);
      agree(`${base}"2026-09-10T12:06:32Z","env":{"temp_c":${n.toFixed(n % 7)}}}`);
    }),
    { numRuns: 20_000 },
  );
  agree(`${base}"2026-02-30T00:00:00Z"}`);
  agree(`${base}"2026-04-31T00:00:00Z"}`);
  for (const ts of ['2026-07-01T13:00:00.131+08:00', '2026-01-01T00:10:00-23:59', '2026-02-29T00:00:00Z', '2026-04-30T23:59:59.999Z', '2024-02-29T12:00:00Z', '1000-01-01T00:00:00Z']) {
    assert.ok(agree(`${base}"${ts}"}`), ts);
  }
});

test('scanEvent() takes the usual device lines, and leaves possible card numbers to the full path', () => {
  const hb = '{"v":1,"id":"1733900000000","type":"heartbeat","terminal":"T1001125","ts":"2026-09-10T12:06:32Z","net":{"type":"4g","carrier":"CTCC","rssi_dbm":-87,"host_rtt_ms":105,"dns_ok":true},"battery":{"level_pct":58,"charging":true,"health_pct":97},"env":{"temp_c":36.3},"printer":"ok","mem_free_mb":1055,"storage_free_mb":3276,"versions":{"firmware":"2.3.5","app":"4.1.2"},"apps":["eleme@11.0.5"],"reader":{"chip":"ok","contactless":"ok","magstripe":"ok"},"screen":"ok","keypad":"ok","tamper":false,"uptime_s":324000}';
  const txn = '{"v":1,"id":"ukp01","type":"txn","terminal":"T1009905","ts":"2026-09-10T12:07:33Z","stan":49724,"entry":"contactless","amount":3290,"rc":"00","latency_ms":379,"operator":"01","bin":"622202"}';
  const err = '{"v":1,"id":"q5w6h","type":"error","terminal":"T1003360","ts":"2026-09-10T12:09:37Z","code":"HOST_TIMEOUT","message":"no response after TLS renegotiation","operator":"02"}';
  for (const l of [hb, txn, err]) assert.ok(agree(l), l);
  // a card number in free text: refused by the full path, never accepted by the scanner
  const pan = err.replace('no response after TLS renegotiation', 'card 4111 1111 1111 1111');
  assert.equal(scanEvent(pan), undefined);
  assert.equal(validateLine(pan).ok, false);
  assert.equal(scanEvent(txn.replace('"622202"', '"6222020000000000"')), undefined);
  assert.equal(scanEvent(err.replace('"code":"HOST_TIMEOUT",', '')), undefined);
});

test('parseTimestamp() answers as the RFC 3339 pattern and Date.parse do', () => {
  const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;
  const reference = (ts: string): number | undefined => {
    if (ts.length > 40 || !RFC3339.test(ts)) return undefined;
    const ms = Date.parse(ts);
    return Number.isNaN(ms) ? undefined : ms;
  };
  const tail = fc.constantFrom('', 'Z', 'x', 'Zx', 'Z ', '0', '.000');
  fc.assert(
    fc.property(timestamp, tail, (ts, t) => {
      assert.equal(parseTimestamp(ts + t), reference(ts + t), ts + t);
      assert.equal(parseTimestamp(ts.slice(0, -1)), reference(ts.slice(0, -1)), ts);
    }),
    { numRuns: 30_000 },
  );
  for (const ts of ['2026-07-01T13:00:00.131+08:00', '2026-07-01T00:00:00-05:30', '2026-03-01T00:30:00+01:00', '2026-09-10T12:06:32Z', '2026-09-10T12:06:32.123Z', '2026-02-30T00:00:00Z', '2026-09-10T12:06:32Zabcd', '2026-09-10T12:06:32.12Z', '0999-01-01T00:00:00Z']) {
    assert.equal(parseTimestamp(ts), reference(ts), ts);
  }
});
