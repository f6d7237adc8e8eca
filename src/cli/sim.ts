// `posops sim`: writes a simulated fleet to files (fleet.json, events.ndjson, truth.json), or with
// --live drives a running server over HTTP or MQTT and obeys the commands it sends.
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isPosopsError } from '../domain/index.ts';
import { generateFleet, parseScenario, startLiveFleet, writeSimFiles, type Scenario, type SimFleet } from '../sim/index.ts';

interface SimFlags {
  terminals?: string;
  days?: string;
  seed?: string;
  out?: string;
  scenario?: string;
  start?: string;
  prefix?: string;
  live?: boolean;
  http?: string;
  auth?: string;
  mqtt?: string;
  secrets?: string;
  speed?: string;
  history?: string;
}

function flagError(message: string): never {
  throw new Error(`sim: ${message}`);
}

function wholeNumber(name: string, text: string | undefined, min: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < min) flagError(`--${name} must be a whole number of at least ${min}, got "${text}"`);
  return n;
}

function positive(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0) flagError(`--${name} must be a number above 0, got "${text}"`);
  return n;
}

function checkUrl(name: string, text: string | undefined, protocols: string[]): void {
  if (text === undefined) return;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    flagError(`--${name} must be a URL such as ${protocols[0]}//127.0.0.1:8080, got "${text}"`);
  }
  if (!protocols.includes(url.protocol)) flagError(`--${name} must use ${protocols.join(' or ')}, got "${url.protocol}"`);
}

async function loadScenario(path: string | undefined): Promise<Scenario | undefined> {
  if (!path) return undefined;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    flagError(`cannot read the scenario ${path}: ${(err as Error).message}`);
  }
  try {
    return parseScenario(text);
  } catch (err) {
    flagError(`${path}: ${(err as Error).message}`);
  }
}

/** Generates the fleet; a scenario problem found against the fleet is reported with the file's name. */
function build(scenarioPath: string | undefined, generate: () => SimFleet): SimFleet {
  try {
    return generate();
  } catch (err) {
    if (isPosopsError(err, 'SIM_SCENARIO_INVALID') && scenarioPath) flagError(`${scenarioPath}: ${err.message}`);
    if (isPosopsError(err)) flagError(err.message);
    throw err;
  }
}

function progress(): { update(done: number, total: number, events: number): void; stop(): void } {
  if (!process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar({ stream: process.stderr, format: 'simulating [{bar}] {percentage}% | {events} events | eta {eta}s', hideCursor: true });
  let started = false;
  return {
    update: (done, total, events) => {
      if (!started) bar.start(total, 0, { events: 0 });
      started = true;
      bar.update(done, { events: events.toLocaleString('en-US') });
    },
    stop: () => started && bar.stop(),
  };
}

async function run(f: SimFlags): Promise<void> {
  const scenario = await loadScenario(f.scenario);
  const terminals = wholeNumber('terminals', f.terminals, 1) ?? scenario?.terminals ?? 300;
  const days = positive('days', f.days) ?? scenario?.days ?? 1;
  const seed = wholeNumber('seed', f.seed, 0) ?? scenario?.seed ?? 1;
  const speed = positive('speed', f.speed) ?? 1;
  if (f.start !== undefined && (!/^\d{4}-\d{2}-\d{2}T/.test(f.start) || Number.isNaN(Date.parse(f.start)))) flagError(`--start must be an RFC 3339 timestamp such as 2026-11-20T06:00:00Z, got "${f.start}"`);
  checkUrl('http', f.http, ['http:', 'https:']);
  checkUrl('mqtt', f.mqtt, ['mqtt:', 'mqtts:', 'ws:', 'wss:']);
  if (f.live) return runLive(f, { terminals, days, seed, speed, scenario });
  if (f.http || f.mqtt) flagError('--http and --mqtt need --live');
  if (!f.out) flagError('--out DIR is required (or use --live with --http/--mqtt)');
  const fleet = build(f.scenario, () => generateFleet({ terminals, days, seed, start: f.start, scenario, prefix: f.prefix }));
  const bar = progress();
  const started = performance.now();
  const result = await writeSimFiles(fleet, f.out, bar.update);
  bar.stop();
  const secs = (performance.now() - started) / 1000;
  process.stderr.write(`wrote ${result.events.toLocaleString('en-US')} events for ${terminals} terminals over ${days} day(s) to ${f.out} in ${secs.toFixed(1)} s (at ${result.at})\n`);
}

async function loadSecrets(path: string): Promise<Record<string, string>> {
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    flagError(`--secrets ${path}: ${(err as Error).message}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc) || Object.values(doc).some((v) => typeof v !== 'string')) {
    flagError(`--secrets ${path} must be a JSON object mapping terminal IDs to secrets, e.g. {"T1000001":"s3cret"}`);
  }
  return doc as Record<string, string>;
}

async function runLive(f: SimFlags, o: { terminals: number; days: number; seed: number; speed: number; scenario?: Scenario }): Promise<void> {
  if (!f.http && !f.mqtt) flagError('--live needs --http URL or --mqtt URL');
  const secrets = f.secrets ? await loadSecrets(f.secrets) : undefined;
  const history = positive('history', f.history) ?? 0;
  let days = o.days;
  if (history > 0 && f.days === undefined) days = (history + 1) / 24;
  if (history > 0 && days * 24 <= history) flagError(`--days (${days}) must cover more than --history (${history} hours)`);
  const realNow = Date.now();
  const start = f.start ?? new Date(Math.floor((realNow - history * 3600_000) / 1000) * 1000).toISOString();
  const fleet = build(f.scenario, () => generateFleet({ terminals: o.terminals, days, seed: o.seed, start, scenario: o.scenario, prefix: f.prefix }));
  if (f.out) {
    await mkdir(f.out, { recursive: true });
    await writeFile(join(f.out, 'fleet.json'), JSON.stringify(fleet.registry, null, 1) + '\n');
    process.stderr.write(`live: the registry is in ${join(f.out, 'fleet.json')} (posops import --fleet loads it)\n`);
  }
  let sent = 0;
  const live = await startLiveFleet({
    fleet,
    target: { http: f.http ? { url: f.http, auth: f.auth, secrets } : undefined, mqtt: f.mqtt ? { url: f.mqtt, secrets } : undefined },
    speed: o.speed,
    from: f.start ? undefined : realNow,
    onProgress: (n) => (sent = n),
  });
  process.stderr.write(`live: ${o.terminals} terminals at ${o.speed}x to ${f.http ?? f.mqtt}; Ctrl-C stops\n`);
  const timer = setInterval(() => process.stderr.write(`live: ${sent.toLocaleString('en-US')} events sent\n`), 10_000);
  await new Promise<void>((resolve) => process.once('SIGINT', resolve).once('SIGTERM', resolve));
  clearInterval(timer);
  await live.stop();
}

export function register(program: Command): void {
  program
    .command('sim')
    .description('simulate a fleet of POS terminals with faults: write files, or drive a running server live')
    .option('--terminals <n>', 'number of terminals (default 300, or the scenario\'s)')
    .option('--days <d>', 'length of the run in days, fractions allowed (default 1)')
    .option('--seed <s>', 'random seed: the same seed gives byte-identical files (default 1)')
    .option('--out <dir>', 'write fleet.json, events.ndjson and truth.json into this folder (live: fleet.json only)')
    .option('--scenario <file>', 'scenario JSON scripting the faults (see src/sim/SCENARIOS.md)')
    .option('--start <time>', 'start of the run, RFC 3339 (files: 2026-11-20T06:00:00Z; live: now)')
    .option('--prefix <p>', 'terminal ID prefix (default T: T1000001…)')
    .option('--live', 'drive a running server instead of writing files')
    .option('--http <url>', 'live: POST NDJSON batches to <url>/api/v1/events')
    .option('--auth <header>', 'live HTTP: Authorization header value, e.g. "Bearer <token>"')
    .option('--mqtt <url>', 'live: one MQTT connection per terminal to this broker')
    .option('--secrets <file>', 'live: JSON map of terminal ID to its secret (MQTT password; HTTP Basic auth per terminal)')
    .option('--speed <x>', 'live: simulated seconds per real second (60 = an hour per minute; default 1)')
    .option('--history <hours>', 'live: start the fleet this many hours ago and send that history at once first')
    .action((flags: SimFlags) => run(flags));
}
