// `posops users add|list|disable|reset-password` and `posops tenants add|list|assign` against the
// store of --data / --database-url. Passwords come from stdin only (never from argv or the log).
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { readConfig } from '../config.ts';
import { isPosopsError } from '../domain/index.ts';
import type { Store } from '../store/index.ts';

interface StoreFlags {
  data?: string;
  databaseUrl?: string;
}

export const CLI_ACTOR = () => ({ actor: `cli:${userInfo().username}`, kind: 'cli' as const });

export async function withStore<T>(flags: StoreFlags, fn: (store: Store) => Promise<T>): Promise<T> {
  const config = readConfig({ data: flags.data, databaseUrl: flags.databaseUrl });
  const { openStore } = await import('../store/index.ts');
  const store = await openStore(config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.data });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

async function readPasswordStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const password = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  if (!password) throw new Error('--password-stdin: no password on stdin');
  return password;
}

export function run(action: () => Promise<void>): Promise<void> {
  return action().catch((err: unknown) => {
    process.stderr.write(`posops: ${isPosopsError(err) ? `${err.code}: ` : ''}${(err as Error).message}\n`);
    process.exitCode = 1;
  });
}

function storeOptions(cmd: Command): Command {
  return cmd
    .option('--data <dir>', 'data folder (default ./data, env POSOPS_DATA)')
    .option('--database-url <url>', 'PostgreSQL server instead of the embedded store (env DATABASE_URL)');
}

function registerUsers(program: Command): void {
  const users = program.command('users').description('people who log in: add, list, disable, reset a password');
  storeOptions(users.command('add <name>').description('add a user (the password is read from stdin)'))
    .requiredOption('--role <role>', 'admin, ops, technician, merchant or auditor')
    .option('--tenant <tenant>', 'the tenant (acquirer/agent) whose subtree the user sees; none: everything')
    .option('--merchant <merchant>', 'for --role merchant: the merchant whose terminals the user sees')
    .requiredOption('--password-stdin', 'read the password from stdin')
    .action((name: string, f: StoreFlags & { role: string; tenant?: string; merchant?: string }) =>
      run(async () => {
        const password = await readPasswordStdin();
        const { addUser } = await import('../auth/index.ts');
        await withStore(f, (store) => addUser(store, CLI_ACTOR(), { username: name, role: f.role, tenant: f.tenant, merchant: f.merchant, password }));
        process.stdout.write(`user ${name} added (${f.role}${f.tenant ? `, tenant ${f.tenant}` : ''}${f.merchant ? `, merchant ${f.merchant}` : ''})\n`);
      }),
    );
  storeOptions(users.command('list').description('list users')).action((f: StoreFlags) =>
    run(async () => {
      const { listUsers } = await import('../auth/index.ts');
      for (const u of await withStore(f, listUsers)) {
        process.stdout.write(`${u.username}\t${u.role}\t${u.tenant ?? '-'}\t${u.merchant ?? '-'}\t${u.disabled ? 'disabled' : 'active'}\n`);
      }
    }),
  );
  storeOptions(users.command('disable <name>').description('disable a user and end its sessions')).action((name: string, f: StoreFlags) =>
    run(async () => {
      const { disableUser } = await import('../auth/index.ts');
      await withStore(f, (store) => disableUser(store, CLI_ACTOR(), name));
      process.stdout.write(`user ${name} disabled\n`);
    }),
  );
  storeOptions(users.command('reset-password <name>').description('set a new password (read from stdin); unlocks the account'))
    .requiredOption('--password-stdin', 'read the password from stdin')
    .action((name: string, f: StoreFlags) =>
      run(async () => {
        const password = await readPasswordStdin();
        const { resetPassword } = await import('../auth/index.ts');
        await withStore(f, (store) => resetPassword(store, CLI_ACTOR(), name, password));
        process.stdout.write(`password of ${name} reset\n`);
      }),
    );
}

function registerTenants(program: Command): void {
  const tenants = program.command('tenants').description('the tenant tree: acquirer → agents → sub-agents');
  storeOptions(tenants.command('add <tenant>').description('add or rename a tenant'))
    .option('--parent <tenant>', 'the tenant above it')
    .option('--name <name>', 'display name')
    .action((tenant: string, f: StoreFlags & { parent?: string; name?: string }) =>
      run(async () => {
        const { upsertTenant, appendAudit } = await import('../auth/index.ts');
        await withStore(f, async (store) => {
          await upsertTenant(store, { tenant, parent: f.parent, name: f.name });
          await appendAudit(store, CLI_ACTOR(), { action: 'tenant.upsert', target: tenant, after: { parent: f.parent, name: f.name } });
        });
        process.stdout.write(`tenant ${tenant}${f.parent ? ` under ${f.parent}` : ''}\n`);
      }),
    );
  storeOptions(tenants.command('list').description('list tenants')).action((f: StoreFlags) =>
    run(async () => {
      const { listTenants } = await import('../auth/index.ts');
      for (const t of await withStore(f, listTenants)) process.stdout.write(`${t.tenant}\t${t.parent ?? '-'}\t${t.name ?? ''}\n`);
    }),
  );
  storeOptions(tenants.command('assign <files...>').description('read the `tenant` column of registry files (JSON or CSV) and assign terminals and merchants'))
    .action((files: string[], f: StoreFlags) =>
      run(async () => {
        const { readTenantColumns, assignTenants, appendAudit } = await import('../auth/index.ts');
        const cols = await readTenantColumns(files);
        const n = await withStore(f, async (store) => {
          const counts = await assignTenants(store, cols);
          await appendAudit(store, CLI_ACTOR(), { action: 'tenant.assign', after: counts });
          return counts;
        });
        process.stdout.write(`tenants: ${n.tenants}, terminals assigned: ${n.terminals}, merchants assigned: ${n.merchants}\n`);
      }),
    );
}

export function register(program: Command): void {
  registerUsers(program);
  registerTenants(program);
}
