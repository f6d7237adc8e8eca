// The posops command line. Each command lives in its own module exporting `register(program)`;
// add a command by adding its module to COMMANDS.
import { Command } from 'commander';

type Register = (program: Command) => void;

const COMMANDS: (() => Promise<{ register: Register }>)[] = [
  // serve, diagnose, import, sim, users: each module registers itself here.
  () => import('./serve.ts'),
  () => import('./diagnose.ts'),
  () => import('./import.ts'),
  () => import('./users.ts'),
  () => import('./terminals.ts'),
  () => import('./sim.ts'),
];

const program = new Command('posops')
  .description('posops: why POS terminals stop working, and what to do about it')
  .showHelpAfterError()
  .configureOutput({ outputError: (str, write) => write(str) });

for (const load of COMMANDS) (await load()).register(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  process.stderr.write(`posops: ${(err as Error).message}\n`);
  process.exit(2);
}
