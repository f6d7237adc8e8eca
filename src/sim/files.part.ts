// Main-thread side of a worker that simulates part of the fleet (see files.worker.ts): starts it,
// hands out its slices in order, and releases the worker's flow-control gate.
import { Worker } from 'node:worker_threads';
import type { PartDone, PartJob, PartSlice } from './files.worker.ts';
import type { SimFleet } from './types.ts';

type Message = PartSlice | PartDone;

export class FleetPart {
  private readonly worker: Worker;
  private readonly gate = new Int32Array(new SharedArrayBuffer(4));
  private readonly inbox: Message[] = [];
  private waiting: ((m: Message) => void) | undefined;
  private failure: Error | undefined;
  private onFailure: ((err: Error) => void) | undefined;

  constructor(fleet: SimFleet, readonly from: number, readonly to: number, sliceMs: number) {
    const tsx = import.meta.resolve('tsx/esm/api');
    const script = new URL('./files.worker.ts', import.meta.url).href;
    const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(script)}); });`;
    const job: PartJob = { fleet, from, to, sliceMs, gate: this.gate };
    this.worker = new Worker(boot, { eval: true, workerData: job });
    this.worker.on('message', (m: Message) => {
      const w = this.waiting;
      this.waiting = undefined;
      if (w) w(m);
      else this.inbox.push(m);
    });
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', (code) => {
      if (code !== 0) this.fail(new Error(`the simulation worker stopped with code ${code}`));
    });
  }

  private fail(err: Error): void {
    this.failure ??= err;
    this.onFailure?.(err);
  }

  private next(): Promise<Message> {
    const m = this.inbox.shift();
    if (m) return Promise.resolve(m);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      this.onFailure = reject;
    });
  }

  /** The worker's lines of slice k, in the order its terminals wrote them. */
  async slice(k: number): Promise<PartSlice> {
    const m = await this.next();
    if ('done' in m || m.k !== k) throw new Error(`the simulation worker sent slice ${'done' in m ? 'end' : m.k}, expected ${k}`);
    Atomics.store(this.gate, 0, k);
    Atomics.notify(this.gate, 0);
    return m;
  }

  /** [issuerHits, issuerSince, limitRefusedAt] per terminal of the part, after the last slice. */
  async issuers(): Promise<Float64Array> {
    const m = await this.next();
    if (!('done' in m)) throw new Error('the simulation worker sent more slices than expected');
    return m.issuers;
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
