// The engine is pure (DESIGN.md, STYLE.md): no I/O, no clock reads, no randomness, and it never imports
// the store, the server, ingest or any other capability that does I/O. This test reads every engine
// source file and fails on the first thing that breaks the rule, naming the file and line.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PURE = ['src/engine', 'src/domain'];

const FORBIDDEN: { what: string; re: RegExp }[] = [
  { what: 'a node: module (I/O)', re: /from\s+['"]node:|require\(['"]node:|import\(['"]node:/ },
  { what: 'a package that does I/O', re: /from\s+['"](pg|mqtt|aedes|fastify|@electric-sql\/pglite|@nats-io\/[^'"]+|pino|nodemailer)['"]/ },
  { what: 'another capability than domain', re: /from\s+['"]\.\.\/+(\.\.\/)*(store|server|ingest|log|auth|dashboard|sim|cli|notify|actions|campaigns|workorders)\b/ },
  { what: 'a clock read', re: /\bDate\.now\(|new Date\(\s*\)|performance\.now\(|process\.hrtime/ },
  { what: 'randomness', re: /\bMath\.random\(|crypto\.random/ },
  { what: 'the process', re: /\bprocess\.(env|argv|exit|stdout|stderr|cwd)\b/ },
];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.ts$/.test(name) && !/\.test\.ts$/.test(name) && !/test-builders\.ts$/.test(name) ? [p] : [];
  });
}

test('the engine and the domain do no I/O, read no clock and import no I/O capability', () => {
  const problems: string[] = [];
  for (const folder of PURE) {
    for (const file of sources(join(ROOT, folder))) {
      readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
        if (/^\s*(\/\/|\*)/.test(line)) return;
        for (const f of FORBIDDEN) if (f.re.test(line)) problems.push(`${relative(ROOT, file)}:${i + 1}: ${f.what}: ${line.trim()}`);
      });
    }
  }
  assert.deepEqual(problems, [], `the pure core must stay pure:\n${problems.join('\n')}`);
});
