// `posops serve --demo`: a simulated fleet of 300 terminals with faults (src/sim), its registry in the
// store and the engine, driven live into this server over HTTP. The fleet's plan starts a day before
// the first demo start, so the first minute already shows a day of history (faults, incidents); then
// simulated time runs at 60× (an hour a minute) and the server diagnoses at the simulated clock.
// The plan (seed, start) and the simulated time reached are kept in the store, so a second start on
// the same data folder continues the same fleet where it stopped instead of starting over.

import { getKv, setKv, upsertRegistry } from '../store/index.ts';
import type { RunningServer } from './runtime.ts';
import { demoScenario } from './demo.scenario.ts';

export const DEMO_TERMINALS = 300;
export const DEMO_SPEED = 60;
const DEMO_DAYS = 7;
const HISTORY_MS = 24 * 3_600_000;
const KEY = 'demo.fleet';

interface DemoState {
  seed: number;
  /** RFC 3339: the fleet plan's start. */
  start: string;
  /** Epoch ms: the simulated time reached when the demo last ran. */
  reached?: number;
}

export interface Demo {
  terminals: number;
  /** Simulated seconds per real second. */
  speed: number;
  /** Simulated time now (the server's clock in demo mode). */
  now(): number;
  stop(): Promise<void>;
}

/** A fresh plan when there is none, or when the stored one has (almost) run out. */
function planFor(stored: DemoState | undefined, realNow: number): DemoState {
  const end = stored ? Date.parse(stored.start) + DEMO_DAYS * 86_400_000 : 0;
  if (stored && (stored.reached ?? 0) < end - 6 * 3_600_000) return stored;
  const reached = stored?.reached ?? realNow;
  const start = Math.floor((Math.max(reached, realNow) - HISTORY_MS) / 60_000) * 60_000;
  return { seed: (stored?.seed ?? 0) + 1, start: new Date(start).toISOString() };
}

/** The simulated time the demo stopped at last time (the clock to use until it runs again). */
export async function demoClockAtStart(server: RunningServer): Promise<number | undefined> {
  return (await getKv<DemoState>(server.store, KEY))?.reached;
}

export async function startDemo(server: RunningServer, opts: { onProgress?: (sent: number) => void } = {}): Promise<Demo> {
  const sim = await import('../sim/index.ts');
  const state = planFor(await getKv<DemoState>(server.store, KEY), Date.now());
  await setKv(server.store, KEY, state);
  const plan = { terminals: DEMO_TERMINALS, seed: state.seed, days: DEMO_DAYS, start: state.start };
  const fleet = sim.generateFleet({ ...plan, scenario: demoScenario(sim.generateFleet(plan).registry) });
  await upsertRegistry(server.store, fleet.registry);
  await server.reloadRegistry();
  const from = state.reached ?? fleet.start + HISTORY_MS;
  const live = await sim.startLiveFleet({
    fleet,
    target: { http: { url: server.url, auth: server.adminToken } },
    speed: DEMO_SPEED,
    from,
    onProgress: opts.onProgress,
  });
  const remember = () => setKv(server.store, KEY, { ...state, reached: live.now() });
  const timer = setInterval(() => void remember().catch(() => undefined), 10_000);
  timer.unref();
  return {
    terminals: fleet.registry.terminals.length,
    speed: DEMO_SPEED,
    now: () => live.now(),
    async stop() {
      clearInterval(timer);
      await live.stop();
      await remember();
    },
  };
}
