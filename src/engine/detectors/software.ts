// Payment-app crashes (and what started them), versions below the model's minimum, failed
// updates, terminal keys, storage and the device clock.

import { compareVersions } from '../../domain/index.ts';
import { C, decayedCount, EPISODE_GAP, type CounterId } from '../counters.ts';
import { buildsOf, type CrashStat } from '../fleet.ts';
import type { TerminalState } from '../state.ts';
import { candidate, hours, count, type Candidate, type Detector, type DetectorInput } from './types.ts';

const AFTER_CHANGE = 8 * 3600;
/** Apps are listed in full heartbeats (about hourly, and late ones do not update the list), so a
 *  new app may first be seen up to this long after the crashes it causes began. */
const APP_SEEN_LATE = 75 * 60;
/** Two crashes, as a decayed count. */
const TWO_CRASHES = decayedCount(2);
/** Crashes spread over this long are a loop, not a burst. */
const LONG_LOOP = 4 * 3600;
/** An app listed on at most this share of the reporting terminals (or 3) is a rare one. */
const RARE_SHARE = 0.05;

/** The most recent firmware install (update event or version change seen in heartbeats). */
export function lastFirmwareChange(s: TerminalState): { at: number; to?: string; campaign?: string } | undefined {
  const u = s.updates?.filter((x) => x.component === 'firmware' && x.status === 'installed').at(-1);
  const hb = s.health?.firmwareChangedAt;
  if (u && (hb === undefined || u.at >= hb - 3600)) return { at: u.at, to: u.to, campaign: u.campaign };
  if (hb !== undefined) return { at: hb, to: s.health?.firmware };
  return undefined;
}

function crashes(x: DetectorInput): Candidate | undefined {
  const { state: s, now } = x;
  const c = s.counters;
  const recent = c.short(C.CRASH, now) + c.short(C.BOOT_CRASH, now) * 0.5;
  const total = c.long(C.CRASH, now) + c.long(C.BOOT_CRASH, now) * 0.5;
  const lastCrash = Math.max(c.last(C.CRASH), c.last(C.BOOT_CRASH));
  // a long-running loop stays a loop when the last hours saw one crash only: its crashes come slower
  // than the short window (a subtle loop, a shop that was closed), and a burst does not last hours
  const longRunning = s.firstCrash > 0 && lastCrash - s.firstCrash >= LONG_LOOP && total >= 6;
  // where the crashes of now began: a kind of crash last seen more than an episode before the
  // latest (an odd crash boot this morning) does not belong to them
  const episodeStart = (id: CounterId): number => (c.last(id) > 0 && lastCrash - c.last(id) <= EPISODE_GAP ? c.first(id) || lastCrash : lastCrash);
  let onset = Math.min(episodeStart(C.CRASH), episodeStart(C.BOOT_CRASH));
  const startedAfter = (at: number, lead = 600): number | undefined => {
    for (const t of [s.firstCrash, onset]) if (t >= at - lead && t - at < AFTER_CHANGE) return t;
    return undefined;
  };
  const h = s.health;
  const afterApp = h?.appAddedAt !== undefined ? startedAfter(h.appAddedAt, APP_SEEN_LATE) : undefined;
  // an app just installed and two app crashes since, the last within the hour: the conflict shows
  // before a loop's counts build up (two crashes minutes apart count 1.8-1.96 decayed)
  const crashesAfterApp = afterApp !== undefined && c.long(C.CRASH, now) >= TWO_CRASHES && now - lastCrash <= 3600;
  if (!crashesAfterApp && ((recent < 2 && !(longRunning && recent >= 0.35)) || total < 4 || now - lastCrash > 3 * 3600)) return undefined;
  // a burst that stopped: quiet for an hour and for much longer than its own usual gap between crashes
  const gap = (lastCrash - (longRunning ? s.firstCrash : onset)) / Math.max(1, Math.max(c.long(C.CRASH, now), c.long(C.BOOT_CRASH, now)) - 1);
  if (now - lastCrash > Math.max(60 * 60, 4 * gap + 15 * 60)) return undefined;
  const ev: [string, string][] = [[
    `${count(c.long(C.CRASH, now))} APP_CRASH/APP_ANR and ${count(c.long(C.BOOT_CRASH, now))} crash/watchdog boots recently, the last ${hours(now - lastCrash)} ago`,
    `近期 ${count(c.long(C.CRASH, now))} 次应用崩溃/无响应、${count(c.long(C.BOOT_CRASH, now))} 次崩溃/看门狗重启，最近一次在 ${hours(now - lastCrash)} 前`,
  ]];
  if (h?.appAddedAt !== undefined && afterApp !== undefined) {
    onset = afterApp;
    ev.push(onset >= h.appAddedAt
      ? [`crashes started ${hours(onset - h.appAddedAt)} after ${h.appAdded} was installed`, `崩溃在安装 ${h.appAdded} 后 ${hours(onset - h.appAddedAt)} 开始`]
      : [`crashes started when ${h.appAdded} was installed (it was first listed ${hours(h.appAddedAt - onset)} later)`, `崩溃与安装 ${h.appAdded} 同时开始（${hours(h.appAddedAt - onset)} 后的心跳才列出它）`]);
    return candidate('sw.app_conflict', 0.85, onset, ev);
  }
  const fw = lastFirmwareChange(s);
  const afterFw = fw ? startedAfter(fw.at) : undefined;
  if (fw && afterFw !== undefined) {
    onset = afterFw;
    ev.push([`crashes started ${hours(onset - fw.at)} after firmware ${fw.to ?? '?'} was installed${fw.campaign ? ` (campaign ${fw.campaign})` : ''}`,
      `崩溃在安装固件 ${fw.to ?? '?'}${fw.campaign ? `（活动 ${fw.campaign}）` : ''} 后 ${hours(onset - fw.at)} 开始`]);
    return candidate('sw.incompatible_update', 0.75, onset, ev);
  }
  const rare = rareApp(x);
  if (rare) {
    ev.push(rare);
    return candidate('sw.app_conflict', 0.8, onset, ev);
  }
  return candidate('sw.crash_loop', Math.min(0.95, 0.6 + recent / 20), onset, ev);
}

/**
 * A rare third-party app on this crashing terminal that the crashing terminals share (at least
 * half of those running it crash) while terminals of the same build without it are fine: the
 * conflict seen across the fleet when the app was already listed before the feed began.
 */
function rareApp(x: DetectorInput): [string, string] | undefined {
  const { state: s, fleet } = x;
  const builds = buildsOf(x.registry?.model, s);
  if (!s.health?.apps || !builds) return undefined;
  const limit = Math.max(3, fleet.reporting * RARE_SHARE);
  let best: { app: string; rate: number; with: CrashStat; without: CrashStat; build: string } | undefined;
  for (const app of s.health.apps.split(',')) {
    const a = fleet.apps.get(app);
    if (!a || a.crashing < 1 || a.terminals > limit || a.crashing / a.terminals < 0.5) continue;
    const peers = withoutApp(fleet.builds, a.builds, builds);
    if (!peers || peers.without.crashing > peers.without.terminals * 0.1) continue;
    const rate = a.crashing / a.terminals;
    if (!best || rate > best.rate) best = { app, rate, with: a, ...peers };
  }
  if (!best) return undefined;
  const [model, fw, app] = best.build.split('|');
  const kind = `${model || '?'} firmware ${fw}${app ? ` app ${app}` : ''}`;
  return [
    `${best.with.crashing} of ${best.with.terminals} terminals running ${best.app} crash; ${best.without.crashing} of ${best.without.terminals} ${kind} terminals without it`,
    `运行 ${best.app} 的 ${best.with.terminals} 台终端中 ${best.with.crashing} 台崩溃；未装它的同型号同版本（${kind}）终端 ${best.without.terminals} 台中 ${best.without.crashing} 台崩溃`,
  ];
}

/** Terminals of the finest of `builds` with at least 3 of them not running the app, and how many of those crash. */
function withoutApp(all: Map<string, CrashStat>, withApp: Map<string, CrashStat>, builds: readonly string[]): { build: string; without: CrashStat } | undefined {
  for (const build of builds) {
    const same = all.get(build);
    if (!same) continue;
    const inBuild = withApp.get(build);
    const without = { terminals: same.terminals - (inBuild?.terminals ?? 0), crashing: same.crashing - (inBuild?.crashing ?? 0) };
    if (without.terminals >= 3) return { build, without };
  }
  return undefined;
}

function outdated(x: DetectorInput): Candidate | undefined {
  const { state: s, model, now } = x;
  const h = s.health;
  if (!h || !model) return undefined;
  const ev: [string, string][] = [];
  if (h.firmware && model.min_firmware && compareVersions(h.firmware, model.min_firmware) < 0) {
    ev.push([`firmware ${h.firmware} is below the ${model.model} minimum ${model.min_firmware}`, `固件 ${h.firmware} 低于 ${model.model} 的最低版本 ${model.min_firmware}`]);
  }
  if (h.app && model.min_app && compareVersions(h.app, model.min_app) < 0) {
    ev.push([`payment app ${h.app} is below the minimum ${model.min_app}`, `支付应用 ${h.app} 低于最低版本 ${model.min_app}`]);
  }
  if (ev.length === 0) return undefined;
  const errs = s.counters.long(C.TLS_FAIL, now) + s.counters.long(C.HOST_TIMEOUT, now);
  if (errs >= 2) ev.push([`${count(errs)} TLS_FAIL/HOST_TIMEOUT errors follow`, `随之出现 ${count(errs)} 次 TLS/主机超时错误`]);
  return candidate('sw.outdated', errs >= 2 ? 0.9 : 0.6, Math.min(s.counters.first(C.TLS_FAIL) || now, h.at), ev);
}

function updateFailed(x: DetectorInput): Candidate | undefined {
  const s = x.state;
  const last = s.updates?.at(-1);
  if (!last || last.status !== 'failed' && last.status !== 'rolled_back') return undefined;
  const conf = s.failedUpdates >= 2 ? 0.85 : 0.7;
  return candidate('sw.update_failed', conf, s.updates!.find((u) => u.status === 'failed')?.at ?? last.at, [[
    `${s.failedUpdates} failed update attempt(s) of ${last.component} ${last.to ?? ''}; installed version unchanged`,
    `${last.component} ${last.to ?? ''} 升级失败 ${s.failedUpdates} 次，版本未变`,
  ]]);
}

function keys(x: DetectorInput): Candidate | undefined {
  const { state: s, now } = x;
  const n = s.counters.long(C.KEY_ERR, now) + s.counters.long(C.RC_KEY, now);
  // keys do not mend themselves: after many failures and no transaction since, they are still bad
  const lastKey = Math.max(s.counters.last(C.KEY_ERR), s.counters.last(C.RC_KEY));
  const unmended = n >= 8 && s.counters.last(C.TXN) <= lastKey && now - lastKey < 24 * 3600;
  if (n < 3 || (s.counters.short(C.KEY_ERR, now) + s.counters.short(C.RC_KEY, now) < 1 && !unmended)) return undefined;
  const since = Math.min(s.counters.first(C.KEY_ERR) || now, s.counters.first(C.RC_KEY) || now);
  return candidate('sw.key_error', Math.min(0.95, 0.7 + n / 50), since, [[
    `${count(s.counters.long(C.KEY_ERR, now))} KEY_ERROR and ${count(s.counters.long(C.RC_KEY, now))} A0 (MAC failed) answers recently`,
    `近期 ${count(s.counters.long(C.KEY_ERR, now))} 次密钥错误、${count(s.counters.long(C.RC_KEY, now))} 次 A0（MAC 校验失败）`,
  ]]);
}

function storage(x: DetectorInput): Candidate | undefined {
  const { state: s, now } = x;
  const free = s.health?.storageFree;
  const errs = s.counters.short(C.STORAGE_ERR, now);
  if (!(free !== undefined && free < 64) && errs < 2) return undefined;
  const ev: [string, string][] = [];
  if (free !== undefined) ev.push([`storage_free_mb ${free}`, `剩余存储 ${free} MB`]);
  if (errs > 0) ev.push([`${count(s.counters.long(C.STORAGE_ERR, now))} STORAGE_FULL errors`, `${count(s.counters.long(C.STORAGE_ERR, now))} 次存储已满错误`]);
  return candidate('sw.storage_full', free !== undefined && free < 64 ? 0.9 : 0.7, s.health?.storageLowSince ?? s.counters.first(C.STORAGE_ERR), ev);
}

function clock(x: DetectorInput): Candidate | undefined {
  const { state: s, now } = x;
  const errs = s.counters.long(C.CLOCK_ERR, now);
  const skewed = s.skewStreak >= 5 && Math.abs(s.lastSkew) > 10 * 60_000 && s.lastArrival - s.skewFrom >= 20 * 60_000;
  if (!skewed && errs < 1) return undefined;
  const ev: [string, string][] = [];
  const mins = Math.round(s.lastSkew / 60_000);
  if (skewed) ev.push([`device time is ${mins} min off the time received, on the last ${s.skewStreak} events`, `设备时间与接收时间相差 ${mins} 分钟（最近 ${s.skewStreak} 条事件）`]);
  if (errs >= 1) ev.push([`${count(errs)} CLOCK_ERROR`, `${count(errs)} 次时钟错误`]);
  const tls = s.counters.long(C.TLS_FAIL, now);
  if (tls >= 1) ev.push([`${count(tls)} TLS_FAIL`, `${count(tls)} 次 TLS 失败`]);
  return candidate('sw.clock_skew', skewed ? 0.92 : 0.6, s.counters.first(C.CLOCK_ERR) || s.counters.first(C.TLS_FAIL) || now, ev);
}

export const softwareDetector: Detector = {
  family: 'software',
  detect(x) {
    return [crashes(x), outdated(x), updateFailed(x), keys(x), storage(x), clock(x)].filter((c): c is Candidate => c !== undefined);
  },
};
