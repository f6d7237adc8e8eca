// The server's clockwork around the engine: which event log to use, a diagnosis tick every few
// seconds (history, states, incidents into the store) and an engine snapshot every few minutes; both
// once more on a graceful stop, after ingest has drained.

import { join } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.ts';
import { PosopsError } from '../domain/index.ts';
import type { Engine } from '../engine/index.ts';
import { openJetStreamLog, openSegmentLog, type EventLog } from '../log/index.ts';
import type { Store } from '../store/index.ts';
import type { DiagnosisRecorder } from './diagnosis.recorder.ts';
import { saveEngineSnapshot } from './engine.restore.ts';

const DAY_MS = 86_400_000;

/** The event log the config asks for, and an id that names it (snapshots are only valid for their own log). */
export async function openEventLog(config: Config, data: string): Promise<{ log: EventLog; logId: string }> {
  const retentionMs = config.retentionDays * DAY_MS;
  if (config.natsUrl) {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(config.natsStream)) {
      throw new PosopsError('CONFIG_INVALID', `--nats-stream / POSOPS_NATS_STREAM="${config.natsStream}" must be 1-64 characters of A-Z a-z 0-9 _ -`);
    }
    // a stream of its own name gets subjects of its own (JetStream refuses overlapping subjects)
    const subjectPrefix = config.natsStream === 'POSOPS_EVENTS' ? 'posops.events' : `posops.stream.${config.natsStream}`;
    const log = await openJetStreamLog({ url: config.natsUrl, stream: config.natsStream, subjectPrefix, retentionMs });
    return { log, logId: `jetstream:${config.natsStream}` };
  }
  const dir = join(data, 'log');
  return { log: await openSegmentLog(dir, { retentionMs }), logId: `segments:${dir}` };
}

export interface PersistenceOptions {
  store: Store;
  /** The engine whose snapshot is stored (the unwrapped one). */
  engine: Engine;
  recorder: DiagnosisRecorder;
  logId: string;
  /** The first log offset not yet folded into the engine. */
  covered: () => number;
  now: () => number;
  tickMs: number;
  snapshotMs: number;
  log: FastifyBaseLogger;
}

export interface Persistence {
  /** Takes a snapshot now. */
  snapshot(): Promise<void>;
  /** Stops the timers, then runs a last tick and a last snapshot. */
  stop(): Promise<void>;
}

export function startPersistence(opts: PersistenceOptions): Persistence {
  let snapshotting: Promise<void> | undefined;
  const snapshot = (): Promise<void> => {
    // the state and its offset are read together, synchronously, before anything awaits
    snapshotting ??= saveEngineSnapshot(opts.store, opts.engine, opts.logId, opts.covered(), opts.now()).finally(() => (snapshotting = undefined));
    return snapshotting;
  };
  const guard = (what: string, run: () => Promise<void>) => () =>
    void run().catch((err: unknown) => opts.log.error({ err }, `${what} failed; retrying at the next one`));
  const ticker = setInterval(guard('diagnosis tick', () => opts.recorder.tick()), opts.tickMs);
  const snapshotter = setInterval(guard('engine snapshot', snapshot), opts.snapshotMs);
  ticker.unref();
  snapshotter.unref();
  let stopped: Promise<void> | undefined;
  return {
    snapshot,
    stop() {
      clearInterval(ticker);
      clearInterval(snapshotter);
      stopped ??= (async () => {
        await opts.recorder.tick();
        await snapshotting;
        await snapshot();
      })();
      return stopped;
    },
  };
}
