// Test support for the MQTT transport: a real ingestor over a segment log in a temp folder.
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSegmentLog } from '../log/index.ts';
import { createIngestor } from './index.ts';

export async function buildTestIngestor(opts: { maxQueue?: number } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'posops-mqtt-'));
  const log = await openSegmentLog(join(dir, 'log'));
  const ingestor = await createIngestor({ log, maxQueue: opts.maxQueue });
  return {
    ingestor,
    log,
    async close() {
      await ingestor.close();
      await log.close().catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Fails with how to start Mosquitto when nothing listens on 127.0.0.1:1883. */
export async function requireMosquitto(): Promise<void> {
  const reachable = await new Promise<boolean>((resolve) => {
    const socket = connect(1883, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
  if (!reachable) throw new Error('Mosquitto is not reachable on 127.0.0.1:1883 — start it with: mosquitto -d -c /etc/mosquitto/mosquitto.conf');
}

let seq = 0;
export function mqttEvent(terminal: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  seq++;
  return { v: 1, id: `m${Date.now().toString(36)}x${seq.toString(36)}`, type: 'heartbeat', terminal, ts: '2026-06-04T11:59:00Z', ...extra };
}
