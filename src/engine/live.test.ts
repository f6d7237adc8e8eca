import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseRegistryJson, validateLine, type Diagnosis, type PosEvent } from '../domain/index.ts';
import type { DiagnosisChange } from './changes.ts';
import { createEngine } from './engine.ts';
import { SWEEP_MS } from './live.ts';
import { at, engineWith, merged, registry, shopDays, terminal } from './test-builders.ts';

const SAMPLE = '/work/shared/samples/small';

function sample(): { reg: ReturnType<typeof parseRegistryJson>['registry']; events: PosEvent[] } {
  const reg = parseRegistryJson(readFileSync(`${SAMPLE}/fleet.json`, 'utf8')).registry;
  const events: PosEvent[] = [];
  for (const line of readFileSync(`${SAMPLE}/events.ndjson`, 'utf8').split('\n')) {
    const v = line ? validateLine(line) : undefined;
    if (v?.ok) events.push(v.event);
  }
  return { reg, events };
}

/** Applies a change stream to a map of terminal → cause → diagnosis. */
function apply(into: Map<string, Map<string, Diagnosis>>, changes: DiagnosisChange[]): void {
  for (const c of changes) {
    const m = into.get(c.terminal) ?? new Map<string, Diagnosis>();
    if (c.kind === 'cleared') m.delete(c.cause);
    else m.set(c.cause, c.diagnosis!);
    if (m.size === 0) into.delete(c.terminal);
    else into.set(c.terminal, m);
  }
}

test('live changes() over a two-day sample: the change stream adds up to the view, and after a sweep the view is diagnose(now)', () => {
  const { reg, events } = sample();
  const engine = createEngine({ registry: reg });
  const seen = new Map<string, Map<string, Diagnosis>>();
  let clock = 0;
  let next = 0;
  let calls = 0;
  for (const e of events) {
    clock = Math.max(clock, e.tsMs);
    if (clock >= next) {
      apply(seen, engine.changes(clock));
      calls++;
      next = clock + 60_000;
    }
    engine.observe(e);
  }
  assert.ok(calls > 1000, `asked every simulated minute (${calls} calls)`);
  const end = clock + SWEEP_MS;
  apply(seen, engine.changes(end));
  const view = engine.view()!;
  const full = engine.diagnose(end);
  assert.deepEqual(view, full, 'after a full sweep the live view is the full diagnosis');
  const flagged = new Map(view.terminals.filter((t) => t.diagnoses.length > 0).map((t) => [t.terminal, t.diagnoses.map((d) => d.cause).sort()]));
  assert.deepEqual(new Map([...seen].map(([t, m]) => [t, [...m.keys()].sort()])), flagged, 'the changes told about every diagnosis in the view');
  assert.ok(flagged.size >= 30, `the sample's faults show (${flagged.size})`);
});

test('live changes() reports a silent terminal offline without any event from it, within the sweep', () => {
  const reg = registry(['T1', 'T2', 'T3'].map((t) => terminal({ terminal: t })));
  const day = (t: string, seed: number) => shopDays({ terminal: t, days: 2, open: 0, close: 1440, seed });
  const t1 = day('T1', 1).filter((e) => e.tsMs < at(1440 + 600));
  const others = merged(day('T2', 2), day('T3', 3)).filter((e) => e.tsMs < at(1440 + 540));
  const engine = engineWith(reg, merged(t1, others));
  assert.deepEqual(engine.changes(at(1440 + 540)), []);
  // the others stay quiet too: only time passes
  let opened: DiagnosisChange | undefined;
  for (let m = 541; m <= 660 && !opened; m++) opened = engine.changes(at(1440 + m)).find((c) => c.terminal === 'T1' && c.kind === 'opened');
  assert.equal(opened?.cause, 'net.offline');
  assert.ok(Date.parse(opened.at) - at(1440 + 600) <= 12 * 60_000 + SWEEP_MS, `opened at ${opened.at}`);
  assert.equal(engine.view()!.terminals.find((t) => t.terminal === 'T1')?.status, 'offline');
});

test('engine.terminal() answers one terminal like the full diagnosis, and undefined for one it does not know', () => {
  const { reg, events } = sample();
  const engine = createEngine({ registry: reg });
  for (const e of events) engine.observe(e);
  const now = events.reduce((m, e) => Math.max(m, e.tsMs), 0);
  const full = engine.diagnose(now);
  engine.changes(now);
  for (const t of full.terminals.filter((x) => x.diagnoses.length > 0).slice(0, 20)) assert.deepEqual(engine.terminal(t.terminal, now), t);
  assert.equal(engine.terminal('NOT-A-TERMINAL', now), undefined);
  assert.deepEqual(engine.incidents(now), full.incidents);
});
