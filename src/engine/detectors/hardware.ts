// Printer, paper, screen, keypad, battery and power: mostly self-tests and people's reports.

import { C } from '../counters.ts';
import { HOT_C } from '../state.heartbeat.ts';
import { candidate, n1, count, type Candidate, type Detector, type DetectorInput } from './types.ts';

function printer(x: DetectorInput): Candidate | undefined {
  const { state: s, now } = x;
  const st = s.health?.test.printer;
  const since = s.health?.since?.printer ?? now;
  if (st === 'paper_out' || st === 'cover_open') {
    return candidate('hw.printer_paper', 0.9, since, [[`printer reports ${st} since the latest self-test`, `打印机报告 ${st === 'paper_out' ? '缺纸' : '纸仓盖未合'}`]]);
  }
  const errors = s.counters.short(C.PRINTER_ERR, now);
  if (st === 'fault') {
    return candidate('hw.printer', 0.92, since, [
      ['self-test printer=fault', '自检 printer=fault'],
      [`${count(s.counters.long(C.PRINTER_ERR, now))} PRINTER_ERROR recently`, `近期 ${count(s.counters.long(C.PRINTER_ERR, now))} 次打印错误`],
    ]);
  }
  const temp = s.health?.temp;
  if (st === 'overheat' && (temp === undefined || temp < HOT_C - 10)) {
    return candidate('hw.printer', 0.85, since, [
      [`self-test printer=overheat while the terminal reads ${temp ?? '?'} °C`, `自检 printer=overheat，而终端温度仅 ${temp ?? '?'} °C`],
      [`${count(s.counters.long(C.PRINTER_ERR, now))} PRINTER_ERROR recently`, `近期 ${count(s.counters.long(C.PRINTER_ERR, now))} 次打印错误`],
    ]);
  }
  if (st === 'ok' && errors >= 4 && s.counters.short(C.HOT, now) < 1) {
    return candidate('hw.printer', 0.6, s.counters.first(C.PRINTER_ERR), [[`${count(errors)} PRINTER_ERROR in the last hours with paper present`, `近几小时 ${count(errors)} 次打印错误（有纸）`]]);
  }
  return undefined;
}

function screen(x: DetectorInput): Candidate | undefined {
  const { state: s } = x;
  const report = s.reports?.screen_blank;
  if (s.health?.test.screen === 'fault') {
    return candidate('hw.screen', 0.93, s.health.since?.screen ?? x.now, [['self-test screen=fault', '自检 screen=fault']]);
  }
  if (report !== undefined && s.health && s.health.at > report) {
    return candidate('hw.screen', 0.8, report, [['screen_blank reported while heartbeats still arrive', '报告黑屏，但心跳仍在上报']]);
  }
  return undefined;
}

function keypad(x: DetectorInput): Candidate | undefined {
  const { state: s, now } = x;
  const ev: [string, string][] = [];
  let conf = 0;
  if (s.health?.test.keypad === 'fault') {
    ev.push(['self-test keypad=fault', '自检 keypad=fault']);
    conf = 0.93;
  }
  if (s.reports?.keys_unresponsive !== undefined) {
    ev.push(['keys_unresponsive reported', '报告按键无响应']);
    conf = Math.max(conf, 0.75);
  }
  const pin = s.counters.long(C.PIN_TIMEOUT, now);
  if (pin >= 2) {
    ev.push([`${count(pin)} PIN entry timeouts`, `${count(pin)} 次密码输入超时`]);
    conf = Math.max(conf, pin >= 4 ? 0.7 : 0.55) + (conf > 0 ? 0.03 : 0);
  }
  if (conf === 0) return undefined;
  return candidate('hw.keypad', conf, s.health?.since?.keypad ?? s.counters.first(C.PIN_TIMEOUT) ?? now, ev);
}

function battery(x: DetectorInput): Candidate | undefined {
  const { state: s, now } = x;
  const h = s.health;
  const lowBoots = s.counters.long(C.LOWBAT_BOOT, now);
  const health = h?.batteryHealth;
  const drain = h?.drainPerHour;
  let conf = 0;
  const ev: [string, string][] = [];
  if (health !== undefined && health < 55) {
    ev.push([`battery health ${health}%`, `电池健康度 ${health}%`]);
    conf = health < 40 ? 0.7 : 0.5;
  }
  if (lowBoots >= 1.5) {
    ev.push([`${count(lowBoots)} low_battery boots`, `${count(lowBoots)} 次低电量重启`]);
    conf = Math.max(conf, 0.6) + 0.2;
  }
  if (drain !== undefined && drain > 25) {
    ev.push([`battery drains ${n1(drain)}%/h off charge`, `离开充电后每小时掉电 ${n1(drain)}%`]);
    conf += 0.15;
  }
  if (conf < 0.5) return undefined;
  return candidate('hw.battery', conf, s.counters.first(C.LOWBAT_BOOT) || (h?.at ?? now), ev);
}

function power(x: DetectorInput): Candidate | undefined {
  const { state: s, at: now } = x;
  const report = s.reports?.wont_power_on;
  if (report === undefined) return undefined;
  const lastHb = s.health?.at ?? 0;
  if (lastHb > report + 120 && now - s.lastArrival / 1000 < 3600) return undefined;
  return candidate('hw.power', 0.9, report, [
    ['wont_power_on reported', '报告无法开机'],
    [`no heartbeat for ${n1((now - s.lastArrival / 1000) / 3600)} h`, `已 ${n1((now - s.lastArrival / 1000) / 3600)} 小时没有心跳`],
  ]);
}

export const hardwareDetector: Detector = {
  family: 'hardware',
  detect(x) {
    return [printer(x), screen(x), keypad(x), battery(x), power(x)].filter((c): c is Candidate => c !== undefined);
  },
};
