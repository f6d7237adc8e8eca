// Keeps the dashboard's picture of the fleet current: re-reads the diagnosis when nudged (or every
// refreshMs), folds it into the fleet view and the incident tracker, samples status counts, and tells
// live listeners what changed.

import { readEvents } from '../ingest/index.ts';
import type { EventLog } from '../log/index.ts';
import type { DashboardDeps, LiveMessage, TerminalSeries } from './dashboard.types.ts';
import { FleetView } from './fleet-view.ts';
import { IncidentTracker } from './incident-tracker.ts';
import { StatusHistory } from './status-history.ts';
import { TerminalSeriesRecorder } from './terminal-series.ts';

const MAX_LIVE_TERMINALS = 200;
const SERIES_SPAN_MS = 48 * 3600_000;

export class Dashboard {
  readonly view = new FleetView();
  readonly incidents = new IncidentTracker();
  readonly history: StatusHistory;
  readonly recorder: TerminalSeriesRecorder;
  readonly ready: Promise<void>;
  private readonly listeners = new Set<(m: LiveMessage) => void>();
  private readonly cleanups: (() => void)[] = [];
  private refreshing: Promise<void> | undefined;
  private again = false;
  private lastRefresh = 0;
  private nudgeTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly deps: DashboardDeps) {
    this.history = new StatusHistory(deps.kv);
    this.recorder = new TerminalSeriesRecorder(50_000, (terminal, version) => this.view.setVersion(terminal, version));
    this.ready = this.start();
  }

  private async start(): Promise<void> {
    await this.history.load();
    this.view.setRegistry(await this.deps.registry());
    await this.refresh();
    // no sample yet: before the engine's first diagnosis tick the counts are not the fleet's (a fresh server
    // has seen no events); the first sample follows the first tick, or the first sampling interval
    const every = (ms: number, fn: () => Promise<void>) => {
      const timer = setInterval(() => void fn().catch(() => undefined), ms);
      timer.unref();
      this.cleanups.push(() => clearInterval(timer));
    };
    every(this.deps.refreshMs ?? 15_000, () => this.refresh());
    every(this.deps.sampleMs ?? 300_000, () => this.sampleStatus());
    every(this.deps.registryRefreshMs ?? 300_000, () => this.reloadRegistry());
    if (this.deps.subscribe) this.cleanups.push(this.deps.subscribe(() => ((this.ticked = true), this.nudge())));
    else await this.sampleStatus();
    this.followEvents();
  }

  /** Resolves once the series of the last 48 h are rebuilt from the log (at once without a log). */
  seriesBackfilled: Promise<void> = Promise.resolve();

  /** Live events into the series; the log's earlier events (last 48 h) in the background, each offset once. */
  private followEvents(): void {
    const { events, log } = this.deps;
    if (!events) return;
    let firstLive: number | undefined;
    const scanned = { next: 0 };
    this.cleanups.push(events((e, offset) => {
      if (offset !== undefined) {
        if (offset < scanned.next) return;
        firstLive ??= offset;
      }
      this.recorder.observe(e);
    }));
    if (!log) return;
    const from = this.deps.now() - SERIES_SPAN_MS;
    this.seriesBackfilled = (async () => {
      for await (const { event, offset } of readEvents(log as EventLog, 0)) {
        if (this.closed || (firstLive !== undefined && offset >= firstLive)) break;
        scanned.next = offset + 1;
        if (event.tsMs >= from) this.recorder.observe(event);
      }
    })().catch(() => undefined);
  }

  private sampled = false;
  /** The engine has made a diagnosis tick since the start (subscribe() fired). */
  private ticked = false;

  /** One point of the status-count chart. */
  private async sampleStatus(): Promise<void> {
    this.sampled = true;
    await this.history.sample(this.deps.now(), { ...this.view.byStatus });
  }

  /** Re-reads the diagnosis soon (at most once a second). */
  nudge(): void {
    if (this.nudgeTimer) return;
    const wait = Math.max(0, this.lastRefresh + 1000 - Date.now());
    this.nudgeTimer = setTimeout(() => {
      this.nudgeTimer = undefined;
      void this.refresh().then(() => (this.ticked && !this.sampled ? this.sampleStatus() : undefined)).catch(() => undefined);
    }, wait);
    this.nudgeTimer.unref();
  }

  /** Re-reads registry-independent state: the diagnosis. Concurrent calls share one run (and queue one more). */
  async refresh(): Promise<void> {
    if (this.refreshing) {
      this.again = true;
      return this.refreshing;
    }
    this.refreshing = this.refreshOnce().finally(() => (this.refreshing = undefined));
    await this.refreshing;
    if (this.again) {
      this.again = false;
      await this.refresh();
    }
  }

  private async refreshOnce(): Promise<void> {
    this.lastRefresh = Date.now();
    const report = await this.deps.diagnosis();
    const changed = this.view.applyReport(report);
    this.history.estimate(this.deps.now(), this.view.entries);
    const incidentChanges = this.incidents.apply(report.incidents, report.at);
    if (changed.length) {
      this.emit({ type: 'diagnosis', at: report.at, terminals: changed.slice(0, MAX_LIVE_TERMINALS), more: Math.max(0, changed.length - MAX_LIVE_TERMINALS) });
    }
    for (const c of incidentChanges) {
      const i = c.incident;
      this.emit({ type: 'incident', at: report.at, incident: { id: i.id, cause: i.cause, open: i.open, count: i.terminals.length, kind: c.kind } });
    }
  }

  async reloadRegistry(): Promise<void> {
    this.view.setRegistry(await this.deps.registry());
  }

  async series(terminal: string): Promise<TerminalSeries | undefined> {
    return (await this.deps.terminalSeries?.(terminal)) ?? this.recorder.series(terminal);
  }

  listen(fn: (m: LiveMessage) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private emit(m: LiveMessage): void {
    for (const fn of this.listeners) fn(m);
  }

  close(): void {
    this.closed = true;
    for (const c of this.cleanups.splice(0)) c();
    if (this.nudgeTimer) clearTimeout(this.nudgeTimer);
    this.listeners.clear();
  }
}
