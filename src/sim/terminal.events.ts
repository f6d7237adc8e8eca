// Writing one terminal's events as JSON text: ids, device timestamps (with the device's clock
// error), upload delays, and store-and-forward while the terminal has no network.
import { formatLocalTs, formatTs } from './clock.ts';
import type { Effects } from './effects.ts';
import type { Rng } from './random.ts';
import type { TerminalProfile } from './types.ts';

/** Receives each event line when it arrives at the server (`arrival`, ms), with its device time. */
export type Sink = (arrival: number, line: string, deviceTs: number) => void;

export class EventWriter {
  private readonly head: string;
  private counter: number;
  private reports = 0;
  /** While true, events are kept on the terminal and sent after reconnecting. */
  holding = false;
  private held: { line: string; ts: number }[] = [];
  lastTs = 0;

  constructor(private readonly p: TerminalProfile, private readonly rng: Rng, private readonly sink: Sink) {
    this.head = `,"terminal":"${p.id}","ts":"`;
    this.counter = (p.seed % 2_000_000_000) + 1_000_000;
  }

  nextId(): string {
    return (this.counter++).toString(36);
  }

  /** Emits one event; `body` starts with a comma and holds the fields after the envelope. */
  emit(t: number, type: string, body: string, eff: Effects): void {
    const local = this.p.model.localTs === true;
    const ts = Math.floor((t + this.p.clockOffsetMs + eff.skewMs) / 1000) * 1000 + (local ? this.rng.int(0, 999) : 0);
    const stamp = local ? formatLocalTs(ts) : formatTs(ts);
    const line = `{"v":1,"id":"${this.nextId()}","type":"${type}"${this.head}${stamp}"${body}}`;
    if (this.holding) {
      if (type !== 'heartbeat') this.held.push({ line, ts });
      return;
    }
    this.send(t + this.delay(type), line, ts);
  }

  send(arrival: number, line: string, ts: number): void {
    if (ts > this.lastTs) this.lastTs = ts;
    // Flattens the string while its pieces are young, so that only one flat string survives.
    line.charCodeAt(line.length >> 1);
    this.sink(arrival, line, ts);
  }

  private delay(type: string): number {
    if (this.rng.chance(0.015)) return this.rng.range(60_000, 900_000);
    return type === 'heartbeat' ? this.rng.range(200, 3000) : this.rng.range(300, 8000);
  }

  /** Sends what was stored while offline, as one batch after reconnecting. */
  release(t: number): void {
    let at = t + this.rng.range(5_000, 40_000);
    for (const h of this.held) this.send((at += this.rng.range(20, 200)), h.line, h.ts);
    this.held = [];
  }

  error(t: number, code: string, message: string, eff: Effects, operator?: string, extra = ''): void {
    const op = operator === undefined ? '' : `,"operator":"${operator}"`;
    this.emit(t, 'error', `,"code":"${code}"${extra}${op},"message":"${message}"`, eff);
  }

  /** A symptom reported by a person: it comes through the support line, not the terminal. */
  report(t: number, symptom: string, text: string, channel: string): void {
    const id = `RPT-${this.p.id}-${++this.reports}`;
    const line = `{"v":1,"id":"${id}","type":"report"${this.head}${formatTs(t)}","symptom":"${symptom}","text":"${text}","channel":"${channel}"}`;
    this.send(t + this.rng.range(1000, 30_000), line, t);
  }
}
