// Tamper response. A heartbeat with tamper=true locks the terminal at once: a lock command goes out
// over MQTT, the lock is kept in the store (it survives restarts and a tamper switch that resets),
// the terminal's diagnosis stays sec.tamper / locked, and the tenant's operations staff get an
// in-app notification and a log line. Only an admin unlocks it, with a reason (audit log).
import { randomUUID } from 'node:crypto';
import { causeInfo, PosopsError, type Diagnosis, type DiagnosisReport, type PosEvent, type TerminalDiagnosis } from '../domain/index.ts';
import type { Engine } from '../engine/index.ts';
import type { Store } from '../store/index.ts';
import { appendAudit } from './audit.ts';
import type { Actor } from './auth.types.ts';
import { deleteTerminalLock, insertNotification, insertTerminalLock, listTerminalLocks } from './fleet.repository.ts';
import type { Tenancy } from './tenancy.ts';

export interface TamperDeps {
  store: Store;
  tenancy: Tenancy;
  now: () => number;
  /** Sends a command to a terminal (the MQTT transport's publishCommand), when there is one. */
  publishCommand?: (terminal: string, command: unknown) => Promise<void>;
  log?: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  /** Other channels (webhooks, IM) when a notify module exists. */
  notify?: (note: { kind: string; tenant?: string; terminal: string; message: string }) => Promise<void>;
}

export interface TerminalLock {
  locked_at: string;
  reason: string;
}

export class TamperResponse {
  readonly locks = new Map<string, TerminalLock>();
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly deps: TamperDeps) {}

  async load(): Promise<void> {
    for (const l of await listTerminalLocks(this.deps.store)) this.locks.set(l.terminal, { locked_at: l.locked_at.toISOString(), reason: l.reason });
  }

  /** Ingest listener: reacts to tamper=true heartbeats (once per lock). */
  observe(event: PosEvent): void {
    if (event.type !== 'heartbeat' || (event as { tamper?: boolean }).tamper !== true || this.locks.has(event.terminal)) return;
    const lock = { locked_at: new Date(this.deps.now()).toISOString(), reason: `tamper=true in heartbeat ${event.id} at ${event.t}` };
    this.locks.set(event.terminal, lock);
    const work = this.lock(event.terminal, lock).catch((err: unknown) => this.deps.log?.error({ err, terminal: event.terminal }, 'tamper response failed'));
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }

  /** Resolves once every tamper response started so far has finished (tests, shutdown). */
  async settled(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  private async lock(terminal: string, lock: TerminalLock): Promise<void> {
    this.deps.tenancy.invalidate(); // rare and important: ask the store for the current owner
    const tenant = (await this.deps.tenancy.current()).terminalTenant.get(terminal);
    const message = `terminal ${terminal} reported tamper=true and was locked; inspect it on site before an admin unlocks it`;
    this.deps.log?.warn({ terminal, tenant, cause: 'sec.tamper' }, message);
    await insertTerminalLock(this.deps.store, terminal, new Date(lock.locked_at), lock.reason);
    await this.send(terminal, 'lock', { reason: 'sec.tamper' });
    await appendAudit(this.deps.store, { actor: 'posops', kind: 'system', tenant }, { action: 'terminal.lock', target: terminal, after: lock });
    await insertNotification(this.deps.store, { at: lock.locked_at, tenant, terminal, kind: 'sec.tamper', message });
    await this.deps.notify?.({ kind: 'sec.tamper', tenant, terminal, message });
  }

  private async send(terminal: string, command: 'lock' | 'unlock', args: Record<string, unknown>): Promise<void> {
    if (!this.deps.publishCommand) return;
    try {
      await this.deps.publishCommand(terminal, { id: randomUUID(), command, args });
    } catch (err) {
      this.deps.log?.error({ err, terminal, command }, 'the command could not be sent; it is sent again on the next unlock/lock');
    }
  }

  /** Admin only (the route checks the role): removes the lock, audits the reason, sends unlock. */
  async unlock(terminal: string, reason: string, who: Actor): Promise<TerminalLock> {
    if (!reason.trim()) throw new PosopsError('REQUEST_INVALID', 'an unlock needs a reason');
    const removed = await deleteTerminalLock(this.deps.store, terminal);
    if (!removed) throw new PosopsError('REQUEST_INVALID', `terminal ${terminal} is not locked`);
    const before = { locked_at: removed.locked_at.toISOString(), reason: removed.reason };
    this.locks.delete(terminal);
    await appendAudit(this.deps.store, who, { action: 'terminal.unlock', target: terminal, before, after: { unlocked: true, reason } });
    await this.send(terminal, 'unlock', { reason });
    return before;
  }

  /** The engine's diagnosis with every locked terminal shown locked (sec.tamper first). */
  overlay(report: DiagnosisReport): DiagnosisReport {
    if (this.locks.size === 0) return report;
    const seen = new Set<string>();
    const terminals = report.terminals.map((t) => {
      const lock = this.locks.get(t.terminal);
      if (!lock) return t;
      seen.add(t.terminal);
      return lockedEntry(t, lock);
    });
    for (const [terminal, lock] of this.locks) {
      if (!seen.has(terminal)) terminals.push({ terminal, status: 'locked', diagnoses: [lockDiagnosis(lock)] });
    }
    return { ...report, terminals };
  }

  /** The engine, with diagnose(), view() and terminal() going through the locks. */
  wrap(engine: Engine): Engine {
    return {
      observe: (e) => engine.observe(e),
      diagnose: (now) => this.overlay(engine.diagnose(now)),
      view: () => {
        const v = engine.view();
        return v && this.overlay(v);
      },
      terminal: (terminal, now) => {
        const d = engine.terminal(terminal, now);
        const lock = this.locks.get(terminal);
        return lock ? lockedEntry(d ?? { terminal, status: 'ok', diagnoses: [] }, lock) : d;
      },
      incidents: (now) => engine.incidents(now),
      changes: (now) => engine.changes(now),
      setRegistry: (r) => engine.setRegistry(r),
      snapshot: () => engine.snapshot(),
    };
  }
}

/** A terminal shown locked: sec.tamper first. */
function lockedEntry(t: TerminalDiagnosis, lock: TerminalLock): TerminalDiagnosis {
  const tamper = t.diagnoses.find((d) => d.cause === 'sec.tamper') ?? lockDiagnosis(lock);
  return { ...t, status: 'locked', diagnoses: [tamper, ...t.diagnoses.filter((d) => d !== tamper)] };
}

function lockDiagnosis(lock: TerminalLock): Diagnosis {
  const info = causeInfo('sec.tamper');
  return {
    cause: 'sec.tamper',
    confidence: 0.99,
    since: lock.locked_at,
    evidence: [`locked by posops: ${lock.reason}; stays locked until an admin unlocks it`],
    evidence_zh: [`posops 已锁定：${lock.reason}；须由管理员解锁`],
    remedy: info.remedy.en,
    remedy_zh: info.remedy['zh-CN'],
  };
}
