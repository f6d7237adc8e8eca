// Remote commands a live terminal obeys: reboot, update, rollback, lock/unlock, clear_cache,
// reload_keys, collect_logs. Each answers done or failed, and changes what the terminal sends.
import type { CauseCode } from '../domain/index.ts';
import { MINUTE } from './clock.ts';
import { fullHeartbeat } from './terminal.heartbeat.ts';
import { applyVersion } from './terminal.install.ts';
import type { TerminalSim } from './terminal.ts';

export const COMMANDS = ['reboot', 'update', 'rollback', 'lock', 'unlock', 'clear_cache', 'reload_keys', 'collect_logs'] as const;
export type CommandName = (typeof COMMANDS)[number];
export type CommandStatus = 'done' | 'failed';

function clearFaults(sim: TerminalSim, causes: CauseCode[], t: number): void {
  for (const f of sim.faults) if (causes.includes(f.cause) && f.from <= t) sim.cleared.add(f);
  sim.refreshEffects(t);
}

function update(sim: TerminalSim, t: number, args: Record<string, unknown>): CommandStatus {
  const component = args['component'] === 'app' ? 'app' : 'firmware';
  const version = args['version'] ?? args['to'];
  if (typeof version !== 'string' || !/^[0-9A-Za-z.+-]{1,32}$/.test(version)) return 'failed';
  const campaign = typeof args['campaign'] === 'string' ? `,"campaign":"${args['campaign'].replace(/[^\w.-]/g, '')}"` : '';
  const from = component === 'firmware' ? sim.firmware : sim.app;
  const body = `,"component":"${component}","from":"${from}","to":"${version}"`;
  sim.out.emit(t, 'update', `${body},"status":"downloading"${campaign}`, sim.eff);
  sim.out.emit(t + 1000, 'update', `${body},"status":"installed"${campaign}`, sim.eff);
  applyVersion(sim, component, version);
  clearFaults(sim, ['sw.outdated', 'sw.update_failed'], t);
  const bad = sim.world.badVersions.some((b) => b.model === sim.p.model.model && b.component === component && b.version === version);
  if (bad) {
    sim.faults = [...sim.faults, { terminal: sim.p.id, cause: 'sw.incompatible_update', from: t + 2 * MINUTE, magnitude: 'obvious' }];
    sim.nextBoundary = Math.min(sim.nextBoundary, t + 2 * MINUTE);
  }
  sim.boot(t + 5000, 'update');
  fullHeartbeat(sim, t + 6000);
  return 'done';
}

function rollback(sim: TerminalSim, t: number): CommandStatus {
  const prev = sim.previous;
  if (!prev) return 'failed';
  const component = prev.firmware !== sim.firmware ? 'firmware' : 'app';
  const from = component === 'firmware' ? sim.firmware : sim.app;
  const to = component === 'firmware' ? prev.firmware : prev.app;
  sim.out.emit(t, 'update', `,"component":"${component}","from":"${from}","to":"${to}","status":"rolled_back"`, sim.eff);
  sim.firmware = prev.firmware;
  sim.app = prev.app;
  sim.previous = undefined;
  clearFaults(sim, ['sw.incompatible_update'], t);
  sim.boot(t + 5000, 'update');
  fullHeartbeat(sim, t + 6000);
  return 'done';
}

/** Runs one command at simulated time t. */
export function runCommand(sim: TerminalSim, t: number, command: string, args: Record<string, unknown> = {}): CommandStatus {
  if (!sim.powered || sim.eff.dead) return 'failed';
  switch (command) {
    case 'reboot':
      sim.boot(t, 'remote');
      return 'done';
    case 'update':
      return update(sim, t, args);
    case 'rollback':
      return rollback(sim, t);
    case 'lock':
      sim.locked = true;
      return 'done';
    case 'unlock':
      sim.locked = false;
      return 'done';
    case 'clear_cache':
      clearFaults(sim, ['sw.storage_full', 'sw.crash_loop'], t);
      sim.storageFree = Math.max(sim.storageFree, 1500);
      fullHeartbeat(sim, t + 1000);
      return 'done';
    case 'reload_keys':
      clearFaults(sim, ['sw.key_error'], t);
      return 'done';
    case 'collect_logs':
      return 'done';
    default:
      return 'failed';
  }
}
