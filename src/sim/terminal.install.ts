// Software campaigns on one terminal: download, install (or fail and retry), reboot, report
// the new versions. A bad version is marked in the plan as sw.incompatible_update.
import { HOUR, MINUTE } from './clock.ts';
import { fullHeartbeat } from './terminal.heartbeat.ts';
import type { TerminalSim } from './terminal.ts';
import type { PlannedInstall } from './types.ts';

function updateBody(sim: TerminalSim, i: PlannedInstall, status: string, extra = ''): string {
  const from = i.component === 'firmware' ? sim.firmware : sim.app;
  return `,"component":"${i.component}","from":"${from}","to":"${i.to}","status":"${status}"${extra},"campaign":"${i.campaign}"`;
}

/** Applies an installed version: remembers the previous ones for a rollback. */
export function applyVersion(sim: TerminalSim, component: 'firmware' | 'app', version: string): void {
  sim.previous = { firmware: sim.firmware, app: sim.app };
  if (component === 'firmware') sim.firmware = version;
  else sim.app = version;
}

/** One step of the current install: 0 = download starts, 1 = installed or failed. */
export function installStep(sim: TerminalSim, t: number): void {
  const i = sim.installs[sim.installIdx]!;
  if (!sim.powered || sim.eff.dead || sim.eff.disconnected) {
    i.at = t + 30 * MINUTE;
    return;
  }
  if (sim.installStage === 0) {
    sim.out.emit(t, 'update', updateBody(sim, i, 'downloading'), sim.eff);
    sim.installStage = 1;
    i.at = t + sim.rng.range(4, 11) * MINUTE;
    return;
  }
  sim.installStage = 0;
  if (i.outcome === 'retried') {
    sim.out.emit(t, 'update', updateBody(sim, i, 'failed', ',"reason":"download interrupted"'), sim.eff);
    i.outcome = 'installed';
    i.at = t + sim.rng.range(1, 3) * HOUR;
    return;
  }
  sim.out.emit(t, 'update', updateBody(sim, i, 'installed'), sim.eff);
  applyVersion(sim, i.component, i.to);
  sim.installIdx++;
  sim.boot(t + 20_000, 'update');
  fullHeartbeat(sim, t + 60_000);
}
