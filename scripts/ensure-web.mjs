#!/usr/bin/env node
// Before `npm start` and `npm test`: builds the dashboard when web/dist is missing or older than its sources, so
// that `npm install` then `npm start` on a fresh clone serves the dashboard without another step.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newest(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(s.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

let built = 0;
try {
  built = statSync('web/dist/index.html').mtimeMs;
} catch {
  built = 0;
}
const sources = Math.max(newest('web/src'), newest('web/index.html'), newest('web/vite.config.ts'));
if (built >= sources) process.exit(0);
process.stdout.write(built ? 'the dashboard sources changed: building it…\n' : 'building the dashboard (first start)…\n');
const r = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', 'web', '--emptyOutDir', '--logLevel', 'warn'], { stdio: 'inherit' });
process.exit(r.status ?? 1);
