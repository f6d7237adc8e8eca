// The engine across restarts: a snapshot of its state and the log offset it covers live in the store's
// kv table; on start the engine is restored from it and only the log from that offset is replayed.
// Without a usable snapshot (none yet, another log, a log shorter than the offset, an engine layout
// this engine does not read) the whole log is replayed.

import type { Registry } from '../domain/index.ts';
import { createEngine, engineSnapshotUsable, type Engine } from '../engine/index.ts';
import { readEvents } from '../ingest/index.ts';
import type { EventLog } from '../log/index.ts';
import { getKv, setKv, type Store } from '../store/index.ts';

export const SNAPSHOT_KEY = 'engine.snapshot';

interface StoredSnapshot {
  v: 1;
  /** Which log the offset belongs to (segments in a folder, or a JetStream stream). */
  log: string;
  /** The first log offset NOT folded into `engine`. */
  offset: number;
  /** Epoch ms when it was taken. */
  takenAt: number;
  engine: unknown;
}

export interface RestoredEngine {
  engine: Engine;
  /** Events replayed from the log after the snapshot (all of them without one). */
  replayed: number;
  /** The offset the replay started from (0 without a snapshot). */
  from: number;
  /** The first offset not yet folded into the engine. */
  next: number;
}

async function usableSnapshot(store: Store, log: EventLog, logId: string): Promise<StoredSnapshot | undefined> {
  const snap = await getKv<StoredSnapshot>(store, SNAPSHOT_KEY);
  if (!snap || snap.v !== 1 || snap.log !== logId || !engineSnapshotUsable(snap.engine)) return undefined;
  if (!Number.isInteger(snap.offset) || snap.offset < 0 || snap.offset > log.nextOffset()) return undefined;
  return snap;
}

/** Restores the engine from the stored snapshot (when it fits this log) and replays the rest of the log. */
export async function restoreEngine(opts: { store: Store; log: EventLog; logId: string; registry: Registry }): Promise<RestoredEngine> {
  const snap = await usableSnapshot(opts.store, opts.log, opts.logId);
  const engine = createEngine({ registry: opts.registry, snapshot: snap?.engine });
  const from = snap?.offset ?? 0;
  let replayed = 0;
  let next = from;
  for await (const { event, offset } of readEvents(opts.log, from)) {
    engine.observe(event);
    replayed++;
    next = offset + 1;
  }
  return { engine, replayed, from, next: Math.max(next, opts.log.nextOffset()) };
}

/** Stores the engine's state as covering the log up to (not including) `offset`. Taken synchronously. */
export async function saveEngineSnapshot(store: Store, engine: Engine, logId: string, offset: number, now: number): Promise<void> {
  const snap: StoredSnapshot = { v: 1, log: logId, offset, takenAt: now, engine: engine.snapshot() };
  await setKv(store, SNAPSHOT_KEY, snap);
}
