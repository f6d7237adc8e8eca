import assert from 'node:assert/strict';
import { test } from 'node:test';
import { containsPan, luhnValid } from './pan.ts';
import { validateEvent, validateLine } from './validate.ts';

const base = { v: 1, id: 'e1', terminal: 'T0000001', ts: '2026-11-20T18:00:00Z' };

function error(x: unknown): string {
  const r = validateEvent(x);
  assert.equal(r.ok, false, `expected ${JSON.stringify(x)} to be refused`);
  return (r as { error: string }).error;
}

test('validateEvent() accepts a full heartbeat and parses ts', () => {
  const r = validateEvent({
    ...base,
    type: 'heartbeat',
    net: { type: '4g', carrier: 'CMCC', rssi_dbm: -80, host_rtt_ms: 60, dns_ok: true },
    battery: { level_pct: 80, charging: false, health_pct: 90 },
    versions: { firmware: '5.1.2', app: '1.18.5' },
    apps: ['ecr.bridge@2.1.0'],
    reader: { chip: 'ok', contactless: 'fault' },
    printer: 'paper_out',
    tamper: false,
  });
  assert.ok(r.ok);
  assert.equal(r.event.tsMs, Date.parse('2026-11-20T18:00:00Z'));
});

test('validateEvent() names the field that is wrong', () => {
  assert.match(error({ ...base, type: 'heartbeat', net: { rssi_dbm: 5 } }), /net\.rssi_dbm/);
  assert.match(error({ ...base, type: 'bogus' }), /^type must be one of/);
  assert.match(error({ ...base, type: 'txn', rc: 5 }), /^rc /);
  assert.match(error({ ...base, type: 'txn', amount: -1 }), /^amount /);
  assert.match(error({ ...base, ts: 'yesterday', type: 'boot' }), /^ts /);
  assert.match(error({ v: 1, type: 'boot', terminal: 'T1', ts: base.ts }), /^id is required/);
  assert.match(error({ ...base, terminal: 'bad id!', type: 'boot' }), /^terminal /);
  assert.match(error({ ...base, v: 2, type: 'boot' }), /^v must be 1/);
  assert.match(error({ ...base, type: 'error' }), /^code is required/);
  assert.match(error({ ...base, type: 'heartbeat', apps: ['noversion'] }), /apps\[0\]/);
  assert.match(error([1, 2]), /JSON object/);
});

test('validateEvent() refuses a full card number anywhere', () => {
  assert.match(error({ ...base, type: 'txn', bin: '4111111111111111' }), /^bin .*full card number/);
  assert.match(error({ ...base, type: 'error', code: 'CARD_READ_FAIL', message: 'card 4111 1111 1111 1111 failed' }), /^message .*PAN/);
  assert.match(error({ ...base, type: 'report', extra: { note: '4111-1111-1111-1111' } }), /extra\.note/);
  assert.ok(validateEvent({ ...base, type: 'txn', bin: '41111111', stan: 123456 }).ok);
  assert.ok(validateEvent({ ...base, type: 'error', code: 'X', message: 'order 4111111111111112' }).ok, 'not Luhn-valid');
});

test('luhnValid() and containsPan() follow the Luhn rule', () => {
  assert.ok(luhnValid('4111111111111111'));
  assert.ok(!luhnValid('4111111111111112'));
  assert.ok(!containsPan('2026-06-04T09:37:49Z'));
  assert.ok(!containsPan('41111111111111111111111')); // too long to be a card number
});

test('validateLine() reports JSON errors', () => {
  const r = validateLine('{"v":1,');
  assert.equal(r.ok, false);
  assert.match((r as { error: string }).error, /not valid JSON/);
  assert.ok(validateLine(JSON.stringify({ ...base, type: 'boot', reason: 'power_on' })).ok);
});

test('validateLine() finds a card number however the line spells it, and leaves ids alone', () => {
  const line = (o: object) => JSON.stringify({ ...base, type: 'error', code: 'X', ...o });
  assert.equal(validateLine(line({ message: 'pan 4111111111111111' })).ok, false);
  assert.equal(validateLine(line({ message: 'pan \\u0034111111111111111' }).replace('\\\\u', '\\u')).ok, false);
  // A millisecond timestamp as the device's event id passes the Luhn check but is not a card number.
  assert.ok(luhnValid('1763780000008'));
  assert.ok(validateLine(line({ id: '1763780000008' })).ok);
});
