// Builds a real app for inject() tests: a segment log in a temp folder, the real ingestor and engine.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyRegistry, type Registry } from '../domain/index.ts';
import { createEngine } from '../engine/index.ts';
import { createIngestor } from '../ingest/index.ts';
import { openSegmentLog } from '../log/index.ts';
import { createApp } from './app.ts';
import { createOpenAuthenticator, type Authenticator } from './auth-hook.ts';

export async function buildTestApp(opts: { maxQueue?: number; maxBodyBytes?: number; authenticator?: Authenticator; registry?: Registry } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'posops-server-'));
  const log = await openSegmentLog(join(dir, 'log'));
  const ingestor = await createIngestor({ log, maxQueue: opts.maxQueue });
  const registry = opts.registry ?? emptyRegistry();
  const engine = createEngine({ registry });
  ingestor.onEvent((event) => engine.observe(event));
  const app = createApp({
    config: { maxBodyBytes: opts.maxBodyBytes ?? 1024 * 1024, logLevel: 'silent' },
    ingestor,
    engine,
    authenticator: opts.authenticator ?? createOpenAuthenticator(),
    findTerminal: async (t) => registry.terminals.find((r) => r.terminal === t),
    now: () => Date.parse('2026-06-04T12:00:00Z'),
  });
  return {
    app,
    ingestor,
    log,
    async close() {
      await app.close();
      await ingestor.close();
      await log.close().catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
}

let seq = 0;
/** A valid heartbeat of `terminal`; fields may be overridden. */
export function heartbeat(terminal: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  seq++;
  return { v: 1, id: `hb${process.pid.toString(36)}x${seq.toString(36)}`, type: 'heartbeat', terminal, ts: '2026-06-04T11:59:00Z', net: { type: '4g', rssi_dbm: -70 }, ...extra };
}

export const ndjson = (items: unknown[]) => items.map((i) => (typeof i === 'string' ? i : JSON.stringify(i))).join('\n') + '\n';
