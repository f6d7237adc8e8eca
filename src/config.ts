// Configuration, read once: command-line flags win over environment variables, which win over defaults.
// Every bad value is listed in one CONFIG_INVALID error naming the variable or flag and what it expects;
// the result is frozen and passed down. This is the only file in src/ that reads process.env.

import { PosopsError } from './domain/index.ts';

export type AuthMode = 'token' | 'off';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly data: string;
  readonly databaseUrl: string | undefined;
  readonly mqttUrl: string | undefined;
  readonly mqttPort: number;
  readonly mqttHost: string;
  readonly natsUrl: string | undefined;
  readonly natsStream: string;
  readonly maxBodyBytes: number;
  readonly maxQueue: number;
  readonly logLevel: LogLevel;
  readonly retentionDays: number;
  readonly snapshotMinutes: number;
  readonly auth: AuthMode;
  readonly demo: boolean;
}

type Kind = 'port' | 'string' | 'url' | 'bytes' | 'count' | 'days' | 'boolean' | { oneOf: readonly string[] };

export interface ConfigOption {
  key: keyof Config;
  env: string;
  flag: string;
  kind: Kind;
  default: string | number | boolean | undefined;
  meaning: string;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** The table of every setting; the README's "Configure" table is generated from it. */
export const CONFIG_OPTIONS: readonly ConfigOption[] = [
  { key: 'port', env: 'POSOPS_PORT', flag: '--port', kind: 'port', default: 8080, meaning: 'HTTP port of the API and dashboard (0 picks a free port)' },
  { key: 'host', env: 'POSOPS_HOST', flag: '--host', kind: 'string', default: '127.0.0.1', meaning: 'address the HTTP server listens on' },
  { key: 'data', env: 'POSOPS_DATA', flag: '--data', kind: 'string', default: './data', meaning: 'data folder: event log (`log/`) and embedded PostgreSQL (`pg/`)' },
  { key: 'databaseUrl', env: 'DATABASE_URL', flag: '--database-url', kind: 'url', default: undefined, meaning: 'PostgreSQL server to use instead of the embedded PGlite store' },
  { key: 'mqttUrl', env: 'MQTT_URL', flag: '--mqtt-url', kind: 'url', default: undefined, meaning: 'external MQTT broker (Mosquitto, EMQX) to take events from instead of the embedded one' },
  { key: 'mqttPort', env: 'POSOPS_MQTT_PORT', flag: '--mqtt-port', kind: 'port', default: 1884, meaning: 'port of the embedded MQTT broker (1883 is left to Mosquitto; 0 picks a free port)' },
  { key: 'mqttHost', env: 'POSOPS_MQTT_HOST', flag: '--mqtt-host', kind: 'string', default: '127.0.0.1', meaning: 'address the embedded MQTT broker listens on' },
  { key: 'natsUrl', env: 'NATS_URL', flag: '--nats-url', kind: 'url', default: undefined, meaning: 'NATS JetStream server: the event log goes to a JetStream stream instead of local segment files' },
  { key: 'natsStream', env: 'POSOPS_NATS_STREAM', flag: '--nats-stream', kind: 'string', default: 'POSOPS_EVENTS', meaning: 'JetStream stream name of the event log (with `--nats-url`)' },
  { key: 'maxBodyBytes', env: 'POSOPS_MAX_BODY_BYTES', flag: '--max-body-bytes', kind: 'bytes', default: 10 * 1024 * 1024, meaning: 'largest HTTP request body accepted (413 above it)' },
  { key: 'maxQueue', env: 'POSOPS_MAX_QUEUE', flag: '--max-queue', kind: 'count', default: 200_000, meaning: 'events waiting to be made durable before ingest answers 503 with Retry-After' },
  { key: 'logLevel', env: 'POSOPS_LOG_LEVEL', flag: '--log-level', kind: { oneOf: LOG_LEVELS }, default: 'info', meaning: 'server log level' },
  { key: 'retentionDays', env: 'POSOPS_RETENTION_DAYS', flag: '--retention-days', kind: 'days', default: 30, meaning: 'days of raw events kept in the event log' },
  { key: 'snapshotMinutes', env: 'POSOPS_SNAPSHOT_MINUTES', flag: '--snapshot-minutes', kind: 'count', default: 5, meaning: 'minutes between engine snapshots (a restart replays the event log only from the last one; one is also taken on shutdown)' },
  { key: 'auth', env: 'POSOPS_AUTH', flag: '--auth', kind: { oneOf: ['token', 'off'] }, default: 'token', meaning: '`token`: bearer tokens and terminal credentials; `off`: no authentication (tests only)' },
  { key: 'demo', env: 'POSOPS_DEMO', flag: '--demo', kind: 'boolean', default: false, meaning: 'also run a simulated fleet with faults' },
];

type Raw = string | number | boolean | undefined;

/** Converts one raw value; returns the value or a description of what was expected. */
function convert(kind: Kind, raw: Raw): { value: unknown } | { expected: string } {
  if (typeof kind === 'object') {
    return typeof raw === 'string' && kind.oneOf.includes(raw) ? { value: raw } : { expected: `one of ${kind.oneOf.join(', ')}` };
  }
  const text = String(raw).trim();
  switch (kind) {
    case 'boolean':
      if (typeof raw === 'boolean') return { value: raw };
      if (/^(1|true|yes|on)$/i.test(text)) return { value: true };
      if (/^(0|false|no|off|)$/i.test(text)) return { value: false };
      return { expected: 'true or false' };
    case 'port':
      return integerIn(text, 0, 65535, 'a port number 0-65535');
    case 'count':
      return integerIn(text, 1, 1e9, 'a whole number >= 1');
    case 'days':
      return integerIn(text, 1, 36500, 'a number of days >= 1');
    case 'bytes':
      return integerIn(text, 1024, 2 ** 31, 'a number of bytes between 1024 and 2147483648');
    case 'url':
      return isUrl(text) ? { value: text } : { expected: 'a URL such as scheme://host:port' };
    case 'string':
      return text.length > 0 ? { value: text } : { expected: 'a non-empty value' };
  }
}

function integerIn(text: string, min: number, max: number, expected: string): { value: number } | { expected: string } {
  if (!/^\d+$/.test(text)) return { expected };
  const n = Number(text);
  return n >= min && n <= max ? { value: n } : { expected };
}

function isUrl(text: string): boolean {
  try {
    return new URL(text).protocol.length > 1;
  } catch {
    return false;
  }
}

/**
 * Reads the configuration. `flags` holds command-line values by config key (commander's camelCase
 * names); `env` defaults to the process environment. Throws CONFIG_INVALID listing every bad value.
 */
export function readConfig(flags: Partial<Record<keyof Config, Raw>> = {}, env: Record<string, string | undefined> = process.env): Config {
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const option of CONFIG_OPTIONS) {
    const fromFlag = flags[option.key];
    const fromEnv = env[option.env];
    const raw = fromFlag !== undefined ? fromFlag : fromEnv !== undefined && fromEnv !== '' ? fromEnv : undefined;
    if (raw === undefined) {
      out[option.key] = option.default;
      continue;
    }
    const result = convert(option.kind, raw);
    if ('value' in result) out[option.key] = result.value;
    else {
      const where = fromFlag !== undefined ? `flag ${option.flag}` : `environment variable ${option.env}`;
      problems.push(`${where}=${JSON.stringify(String(raw))} must be ${result.expected}`);
    }
  }
  if (out['mqttUrl'] !== undefined && flags.mqttPort !== undefined) {
    problems.push('flags --mqtt-port and --mqtt-url exclude each other: --mqtt-port runs the embedded broker, --mqtt-url uses an external one');
  }
  if (problems.length > 0) throw new PosopsError('CONFIG_INVALID', `invalid configuration:\n  - ${problems.join('\n  - ')}`, problems);
  return Object.freeze(out) as unknown as Config;
}

/** The configuration table as Markdown, for the README. */
export function configTableMarkdown(): string {
  const rows = CONFIG_OPTIONS.map((o) => {
    const def = o.default === undefined ? '—' : `\`${String(o.default)}\``;
    return `| \`${o.flag}\` | \`${o.env}\` | ${def} | ${o.meaning} |`;
  });
  return ['| flag | environment | default | meaning |', '|---|---|---|---|', ...rows].join('\n') + '\n';
}
