// `posops terminals secret T…` issues (or rotates) terminal secrets and shows them once;
// `posops terminals export-mosquitto --out DIR T…` rotates the secrets of the terminals given and
// writes Mosquitto's password and ACL files for them.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { CLI_ACTOR, run, withStore } from './users.ts';

interface StoreFlags {
  data?: string;
  databaseUrl?: string;
}

async function terminalsOf(ids: string[], all: boolean | undefined, flags: StoreFlags): Promise<string[]> {
  if (!all) return ids;
  const { listRegistryTerminals } = await import('../store/index.ts');
  return withStore(flags, async (store) => (await listRegistryTerminals(store)).map((t) => t.terminal));
}

async function rotate(terminals: string[], flags: StoreFlags): Promise<{ terminal: string; secret: string }[]> {
  const { issueTerminalSecret } = await import('../auth/index.ts');
  return withStore(flags, async (store) => {
    const out: { terminal: string; secret: string }[] = [];
    for (const terminal of terminals) out.push({ terminal, secret: await issueTerminalSecret(store, CLI_ACTOR(), terminal) });
    return out;
  });
}

export function register(program: Command): void {
  const terminals = program.command('terminals').description('terminal credentials: secrets for MQTT and HTTP, Mosquitto export');
  terminals
    .command('secret <terminals...>')
    .description('issue or rotate each terminal’s own secret; printed once as "<terminal> <secret>" (stored hashed)')
    .option('--data <dir>', 'data folder (default ./data, env POSOPS_DATA)')
    .option('--database-url <url>', 'PostgreSQL server (env DATABASE_URL)')
    .action((ids: string[], f: StoreFlags) =>
      run(async () => {
        for (const c of await rotate(ids, f)) process.stdout.write(`${c.terminal} ${c.secret}\n`);
      }),
    );
  terminals
    .command('export-mosquitto [terminals...]')
    .description('rotate the secrets of the terminals given (or --all) and write Mosquitto password + ACL files; secrets are printed once')
    .requiredOption('--out <dir>', 'folder for passwd, acl and secrets.txt')
    .option('--all', 'every terminal of the registry')
    .option('--service-user <name>', 'also a broker user for posops itself (password printed once)', 'posops')
    .option('--data <dir>', 'data folder (default ./data, env POSOPS_DATA)')
    .option('--database-url <url>', 'PostgreSQL server (env DATABASE_URL)')
    .action((ids: string[], f: StoreFlags & { out: string; all?: boolean; serviceUser: string }) =>
      run(async () => {
        const { mosquittoAclFile, mosquittoPasswordFile } = await import('../auth/index.ts');
        const { randomBytes } = await import('node:crypto');
        const list = await terminalsOf(ids, f.all, f);
        if (list.length === 0) throw new Error('export-mosquitto needs terminal IDs or --all');
        const creds = await rotate(list, f);
        const service = { username: f.serviceUser, password: randomBytes(24).toString('base64url') };
        await mkdir(f.out, { recursive: true });
        await writeFile(join(f.out, 'passwd'), mosquittoPasswordFile(creds, service), { mode: 0o600 });
        await writeFile(join(f.out, 'acl'), mosquittoAclFile(service.username), { mode: 0o644 });
        await writeFile(join(f.out, 'secrets.txt'), creds.map((c) => `${c.terminal} ${c.secret}\n`).join('') + `${service.username} ${service.password}\n`, { mode: 0o600 });
        process.stdout.write(`${creds.length} terminals: ${join(f.out, 'passwd')}, ${join(f.out, 'acl')}; secrets in ${join(f.out, 'secrets.txt')} (mode 600: deliver, then delete)\n`);
      }),
    );
}
