// Builds the dashboard into web/dist, with a .gz beside each asset (served by @fastify/static's preCompressed).

import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

function gzipAssets(): Plugin {
  let outDir = '';
  return {
    name: 'posops-gzip',
    apply: 'build',
    configResolved(config) {
      outDir = join(config.root, config.build.outDir);
    },
    closeBundle() {
      const walk = (dir: string): void => {
        for (const name of readdirSync(dir)) {
          const p = join(dir, name);
          if (statSync(p).isDirectory()) walk(p);
          else if (/\.(js|css|html|svg|json)$/.test(name) && statSync(p).size > 1024) writeFileSync(`${p}.gz`, gzipSync(readFileSync(p), { level: 9 }));
        }
      };
      walk(outDir);
    },
  };
}

export default defineConfig({
  plugins: [react(), gzipAssets()],
  build: { outDir: 'dist', chunkSizeWarningLimit: 1500, sourcemap: false },
});
