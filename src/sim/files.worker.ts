// Worker side of writeSimFiles: runs the terminals [from, to) of the fleet slice by slice and
// posts each slice's lines (joined by "\n") with their arrival and device times. The main thread
// pushes them into its arrival queue right after its own terminals, in the same order as a run in
// one thread, so the files stay byte-identical. A shared counter of consumed slices keeps this
// worker at most AHEAD slices in front.
import { parentPort, workerData } from 'node:worker_threads';
import { createTerminalSims } from './fleet.ts';
import type { Sink } from './terminal.events.ts';
import type { SimFleet } from './types.ts';

export interface PartJob {
  fleet: SimFleet;
  from: number;
  to: number;
  sliceMs: number;
  /** [0] = slices the main thread has consumed. */
  gate: Int32Array;
}

/** One slice of the part: lines joined by "\n", and [arrival, ts] per line. */
export interface PartSlice {
  k: number;
  text: string;
  times: Float64Array;
}

export interface PartDone {
  done: true;
  /** [issuerHits, issuerSince, limitRefusedAt] per terminal of the part, for the truth. */
  issuers: Float64Array;
}

const AHEAD = 3;

function runPart(job: PartJob): void {
  const { fleet, gate } = job;
  let lines: string[] = [];
  let times: number[] = [];
  const sink: Sink = (arrival, line, ts) => {
    lines.push(line);
    times.push(arrival, ts);
  };
  const sims = createTerminalSims({ ...fleet, profiles: fleet.profiles.slice(job.from, job.to) }, () => sink);
  const total = Math.ceil((fleet.end - fleet.start) / job.sliceMs);
  // Slice 0: what the terminals sent while being set up (faults active from the start).
  for (let k = 0; k <= total; k++) {
    for (;;) {
      const consumed = Atomics.load(gate, 0);
      if (k - consumed <= AHEAD) break;
      Atomics.wait(gate, 0, consumed);
    }
    const until = Math.min(fleet.end, fleet.start + k * job.sliceMs);
    if (k > 0) for (const sim of sims) sim.advance(until);
    const slice: PartSlice = { k, text: lines.join('\n'), times: Float64Array.from(times) };
    parentPort!.postMessage(slice, [slice.times.buffer as ArrayBuffer]);
    lines = [];
    times = [];
  }
  const issuers = new Float64Array(sims.length * 3);
  sims.forEach((s, i) => {
    issuers[3 * i] = s.issuerHits;
    issuers[3 * i + 1] = s.issuerSince;
    issuers[3 * i + 2] = s.limitRefusedAt;
  });
  const done: PartDone = { done: true, issuers };
  parentPort!.postMessage(done, [issuers.buffer as ArrayBuffer]);
}

if (parentPort && workerData) runPart(workerData as PartJob);
