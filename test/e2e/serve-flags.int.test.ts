// `posops serve` refuses what it cannot do with a message that names the setting to change:
// a bad flag value, and a port another program already holds.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

const dirs: string[] = [];
let holder: Server | undefined;
after(async () => {
  holder?.close();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

function serve(...args: string[]) {
  return spawnSync(process.execPath, ['bin/posops.js', 'serve', ...args], { encoding: 'utf8', timeout: 60_000 });
}

test('posops serve refuses a bad flag value, naming the flag and what it expects', () => {
  const r = serve('--port', 'eighty', '--mqtt-port', '99999');
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /--port/);
  assert.match(r.stderr, /--mqtt-port/);
});

test('posops serve says which port is taken and which settings move it', async () => {
  holder = createServer();
  await new Promise<void>((resolve) => holder!.listen(0, '127.0.0.1', resolve));
  const taken = (holder.address() as { port: number }).port;
  const data = await mkdtemp(join(tmpdir(), 'posops-ports-'));
  dirs.push(data);
  const r = serve('--data', data, '--port', '0', '--mqtt-port', String(taken), '--log-level', 'silent');
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stderr, new RegExp(`port ${taken} on 127\\.0\\.0\\.1 is already in use.*--mqtt-port \\(POSOPS_MQTT_PORT\\)`));
});
