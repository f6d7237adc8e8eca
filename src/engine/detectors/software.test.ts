import assert from 'node:assert/strict';
import { test } from 'node:test';
import { at, boot, diagnosisOf, engineWith, error, heartbeat, merged, registry, shopDays, terminal, txn } from '../test-builders.ts';

const reg = registry([terminal({ terminal: 'T1' }), terminal({ terminal: 'T2' })]);
const day = (t: string, seed: number) => shopDays({ terminal: t, days: 2, open: 60, close: 780, seed });
const NOW = at(1440 + 780);
const crashes = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => [error({ terminal: 'T1', t: at(from + i * 15), code: 'APP_CRASH', app: 'posapp@3.2.0' }), boot({ terminal: 'T1', t: at(from + i * 15 + 1), reason: 'crash' })]).flat();

test('diagnose() reports sw.crash_loop for repeated crashes of the payment app', () => {
  const d = diagnosisOf(engineWith(reg, merged(day('T1', 1), crashes(1440 + 500, 16))), 'T1', NOW);
  assert.equal(d.diagnoses[0]?.cause, 'sw.crash_loop');
  assert.equal(d.status, 'faulty');
});

test('diagnose() clears a burst of crashes that stopped long ago', () => {
  assert.equal(diagnosisOf(engineWith(reg, merged(day('T1', 1), crashes(100, 6))), 'T1', NOW).status, 'ok');
});

test('diagnose() reports sw.app_conflict when crashes start right after a new app appears', () => {
  const apps = [heartbeat({ terminal: 'T1', t: at(1440 + 200), apps: ['a@1'] }), heartbeat({ terminal: 'T1', t: at(1440 + 440), apps: ['a@1', 'launcher@1.2.0'] })];
  const d = diagnosisOf(engineWith(reg, merged(day('T1', 1), apps, crashes(1440 + 480, 16))), 'T1', NOW);
  assert.equal(d.diagnoses[0]?.cause, 'sw.app_conflict');
  assert.match(d.diagnoses[0]!.evidence.join(' '), /launcher@1\.2\.0/);
});

test('diagnose() keeps sw.crash_loop for a loop that ran for hours and crashes slower today', () => {
  const d = diagnosisOf(engineWith(reg, merged(day('T1', 1), crashes(200, 24), crashes(1440 + 700, 1))), 'T1', NOW);
  assert.equal(d.diagnoses[0]?.cause, 'sw.crash_loop');
});

test('diagnose() does not call a short burst yesterday and one crash today a loop', () => {
  assert.equal(diagnosisOf(engineWith(reg, merged(day('T1', 1), crashes(200, 6), crashes(1440 + 700, 1))), 'T1', NOW).status, 'ok');
});

test('diagnose() reports sw.app_conflict when the new app is first listed after the crashes began', () => {
  const apps = [heartbeat({ terminal: 'T1', t: at(1440 + 200), apps: ['a@1'] }), heartbeat({ terminal: 'T1', t: at(1440 + 530), apps: ['a@1', 'launcher@1.2.0'] })];
  const d = diagnosisOf(engineWith(reg, merged(day('T1', 1), apps, crashes(1440 + 480, 16))), 'T1', NOW);
  assert.equal(d.diagnoses[0]?.cause, 'sw.app_conflict');
  assert.match(d.diagnoses[0]!.evidence.join(' '), /launcher@1\.2\.0 was installed \(it was first listed/);
});

test('diagnose() reports sw.app_conflict for a rare app listed from the start that same-build siblings without it run fine', () => {
  const ids = ['T1', 'S1', 'S2', 'S3', 'S4', 'S5'];
  const fleet = registry(ids.map((t) => terminal({ terminal: t })));
  const days = ids.map((t, i) => shopDays({ terminal: t, days: 2, open: 60, close: 780, seed: i + 1, apps: t === 'T1' ? ['common@1.0', 'rare.tool@2.3'] : ['common@1.0'] }));
  const d = diagnosisOf(engineWith(fleet, merged(...days, crashes(60, 140))), 'T1', NOW);
  assert.equal(d.diagnoses[0]?.cause, 'sw.app_conflict');
  assert.match(d.diagnoses[0]!.evidence.join(' '), /1 of 1 terminals running rare\.tool@2\.3 crash; 0 of 5 A8 firmware 5\.1\.0 app 3\.2\.0 terminals without it/);
});

test('diagnose() keeps sw.crash_loop when every app of the crashing terminal runs fine elsewhere', () => {
  const ids = ['T1', 'S1', 'S2', 'S3', 'S4', 'S5'];
  const fleet = registry(ids.map((t) => terminal({ terminal: t })));
  const days = ids.map((t, i) => shopDays({ terminal: t, days: 2, open: 60, close: 780, seed: i + 1, apps: ['common@1.0'] }));
  const d = diagnosisOf(engineWith(fleet, merged(...days, crashes(60, 140))), 'T1', NOW);
  assert.equal(d.diagnoses[0]?.cause, 'sw.crash_loop');
});

test('diagnose() reports sw.key_error for KEY_ERROR and A0 answers', () => {
  const keys = Array.from({ length: 8 }, (_, i) => [error({ terminal: 'T1', t: at(1440 + 500 + i * 20), code: 'KEY_ERROR' }), txn({ terminal: 'T1', t: at(1440 + 501 + i * 20), rc: 'A0' })]).flat();
  const d = diagnosisOf(engineWith(reg, merged(day('T1', 1), keys)), 'T1', NOW);
  assert.equal(d.diagnoses[0]?.cause, 'sw.key_error');
  assert.match(d.diagnoses[0]!.evidence[0]!, /KEY_ERROR and \d+(\.\d)? A0/);
});

test('diagnose() keeps sw.key_error overnight when no transaction has run since the failures', () => {
  const keys = Array.from({ length: 12 }, (_, i) => [error({ terminal: 'T1', t: at(300 + i * 30), code: 'KEY_ERROR' }), txn({ terminal: 'T1', t: at(301 + i * 30), rc: 'A0' })]).flat();
  const AT = at(1440 + 120);
  // T2 keeps the feed's clock going into the next morning
  const day1 = merged(shopDays({ terminal: 'T1', days: 1, open: 60, close: 630, seed: 3 }), day('T2', 5).filter((e) => e.tsMs <= AT));
  const morning = [boot({ terminal: 'T1', t: at(1440 + 60), reason: 'power_on' }), ...Array.from({ length: 12 }, (_, i) => heartbeat({ terminal: 'T1', t: at(1440 + 61 + i * 5) }))];
  const d = diagnosisOf(engineWith(reg, merged(day1, keys, morning)), 'T1', AT);
  assert.equal(d.diagnoses[0]?.cause, 'sw.key_error');
  const mended = [...morning, txn({ terminal: 'T1', t: at(1440 + 65), rc: '00' })];
  assert.equal(diagnosisOf(engineWith(reg, merged(day1, keys, mended)), 'T1', AT).status, 'ok');
});

test('diagnose() reports sw.outdated for firmware below the model minimum (numeric compare)', () => {
  const old = [heartbeat({ terminal: 'T1', t: at(1440 + 779), versions: { firmware: '4.12.0', app: '3.10.0' } })];
  const d = diagnosisOf(engineWith(reg, merged(day('T1', 1), old)), 'T1', NOW);
  assert.equal(d.diagnoses[0]?.cause, 'sw.outdated');
  assert.match(d.diagnoses[0]!.evidence[0]!, /firmware 4\.12\.0 is below the A8 minimum 5\.0\.0/);
});

test('diagnose() reports sw.app_conflict on the second crash after a new app appears; one crash is no conflict, nor two with no new app', () => {
  const apps = [heartbeat({ terminal: 'T1', t: at(1440 + 200), apps: ['a@1'] }), heartbeat({ terminal: 'T1', t: at(1440 + 440), apps: ['a@1', 'overlay.tool@1.0.3'] })];
  const twoCrashes = crashes(1440 + 450, 2); // 10 and 25 minutes after the app was listed
  const upTo = (events: ReturnType<typeof crashes>, t: number) => engineWith(reg, merged(day('T1', 1), events).filter((e) => e.tsMs <= at(t)));
  const second = 1440 + 450 + 15 + 2;
  assert.equal(diagnosisOf(upTo([...apps, ...twoCrashes], second), 'T1', at(second)).diagnoses[0]?.cause, 'sw.app_conflict');
  assert.equal(diagnosisOf(upTo([...apps, ...twoCrashes], 1440 + 455), 'T1', at(1440 + 455)).status, 'ok');
  assert.equal(diagnosisOf(upTo(twoCrashes, second), 'T1', at(second)).status, 'ok');
});

test('diagnose() reports sw.app_conflict after a new app although the terminal had an odd crash boot in the morning', () => {
  const apps = [heartbeat({ terminal: 'T1', t: at(1440 + 200), apps: ['a@1'] }), heartbeat({ terminal: 'T1', t: at(1440 + 600), apps: ['a@1', 'overlay.tool@1.0.3'] })];
  const morning = [boot({ terminal: 'T1', t: at(1440 + 100), reason: 'crash' })]; // 8 hours before: another episode
  const second = 1440 + 610 + 15 + 2;
  // the app crashes now without rebooting the terminal: the crash-boot counter still holds the morning's episode
  const appCrashes = crashes(1440 + 610, 2).filter((e) => e.type === 'error');
  const engine = engineWith(reg, merged(day('T1', 1), apps, morning, appCrashes).filter((e) => e.tsMs <= at(second)));
  const d = diagnosisOf(engine, 'T1', at(second));
  assert.equal(d.diagnoses[0]?.cause, 'sw.app_conflict');
  assert.equal(d.diagnoses[0]?.since, new Date(at(1440 + 610)).toISOString());
});
