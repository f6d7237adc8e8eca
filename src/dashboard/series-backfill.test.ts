// The terminal charts survive a restart: the dashboard rebuilds the last 48 h of series from the event log
// in the background, and an event delivered both by the log scan and live is counted once.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { PosEvent } from '../domain/index.ts';
import { validateEvent } from '../domain/index.ts';
import { openSegmentLog } from '../log/index.ts';
import { Dashboard } from './index.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const HOUR = 3600_000;

function heartbeat(id: string, atMs: number, rssi: number): PosEvent {
  const v = validateEvent({ v: 1, id, type: 'heartbeat', terminal: 'T1', ts: new Date(atMs).toISOString(), net: { type: '4g', rssi_dbm: rssi } });
  assert.ok(v.ok, JSON.stringify(v));
  return v.event;
}

test('series are rebuilt from the log after a restart, each event once', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'posops-dash-series-'));
  const log = await openSegmentLog(dir);
  try {
    const old = [heartbeat('a', NOW - 72 * HOUR, -60), heartbeat('b', NOW - 2 * HOUR, -70), heartbeat('c', NOW - HOUR, -80)];
    await log.append(old.map((e) => JSON.stringify({ ...e, tsMs: undefined })));
    let live: ((e: PosEvent, offset?: number) => void) | undefined;
    const dashboard = new Dashboard({
      diagnosis: () => ({ at: new Date(NOW).toISOString(), terminals: [], incidents: [] }),
      registry: () => ({ terminals: [{ terminal: 'T1' }], merchants: [], models: [], maintenance: [] }),
      now: () => NOW,
      events: (fn) => ((live = fn), () => undefined),
      log,
    });
    await dashboard.ready;
    // an event the log scan may also reach: delivered live with its offset
    const fresh = heartbeat('d', NOW - 10 * 60_000, -90);
    await log.append([JSON.stringify(fresh)]);
    live!(fresh, 3);
    await dashboard.seriesBackfilled;
    const s = (await dashboard.series('T1'))!;
    assert.deepEqual(s.points.map((p) => p.rssi), [-70, -80, -90], 'the 72 h old heartbeat is outside the chart, the rest once each');
    assert.deepEqual(s.events.map((e) => e.ts), [fresh.ts, old[2]!.ts, old[1]!.ts]);
    dashboard.close();
  } finally {
    await log.close();
    await rm(dir, { recursive: true, force: true });
  }
});
