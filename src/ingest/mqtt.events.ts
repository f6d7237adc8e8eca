// The MQTT side of ingest, shared by the embedded broker and an external one: topics, decoding one
// event per message, and batching the messages that arrive together into one ingest call so that
// they share one durable append. A message is acknowledged only after its batch is durable.

import { setTimeout as delay } from 'node:timers/promises';
import { isPosopsError } from '../domain/index.ts';
import type { Ingestor } from './index.ts';

export const TOPIC_ROOT = 'posops/v1';
const TOPIC_RE = /^posops\/v1\/([A-Za-z0-9._-]{1,64})\/([a-z]+)$/;

export const eventsTopic = (terminal: string) => `${TOPIC_ROOT}/${terminal}/events`;
export const rejectionsTopic = (terminal: string) => `${TOPIC_ROOT}/${terminal}/rejections`;
export const commandsTopic = (terminal: string) => `${TOPIC_ROOT}/${terminal}/commands`;

/** Splits `posops/v1/<terminal>/<kind>`; undefined for any other topic. */
export function parseTopic(topic: string): { terminal: string; kind: string } | undefined {
  const m = TOPIC_RE.exec(topic);
  return m ? { terminal: m[1]!, kind: m[2]! } : undefined;
}

/** What became of one message: accepted (or duplicate), or rejected with the reason. */
export type MessageOutcome = { ok: true } | { ok: false; error: string; id?: string };

interface Pending {
  item: unknown;
  resolve: (outcome: MessageOutcome) => void;
  reject: (err: unknown) => void;
}

const TERMINAL_KEY = '"terminal"';
const TERMINAL_VALUE = /^\s*:\s*"([^"]*)"/;

/**
 * The payload's text when it certainly names `terminal` as its only terminal: no backslash (so no
 * escaped key can hide a second "terminal"), exactly one "terminal" in the text, followed by the
 * topic's terminal. The ingestor then parses it once and stores it as sent (no parse here, no
 * re-serialising there). Anything else goes the careful way (decodePayload).
 */
function trustedText(payload: Buffer, terminal: string): string | undefined {
  if (payload.includes(92 /* \\ */)) return undefined;
  const text = payload.toString('utf8');
  const at = text.indexOf(TERMINAL_KEY);
  if (at < 0 || text.indexOf(TERMINAL_KEY, at + 1) >= 0) return undefined;
  const m = TERMINAL_VALUE.exec(text.slice(at + TERMINAL_KEY.length, at + TERMINAL_KEY.length + 80));
  return m && m[1] === terminal ? text : undefined;
}

function decodePayload(payload: Buffer): unknown {
  const text = payload.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text; // the ingestor rejects it as not valid JSON, and counts it
  }
}

function idOf(item: unknown): string | undefined {
  if (typeof item === 'string') return /"id"\s*:\s*"([^"]*)"/.exec(item)?.[1];
  const id = typeof item === 'object' && item !== null ? (item as Record<string, unknown>)['id'] : undefined;
  return typeof id === 'string' ? id : undefined;
}

/**
 * Ingests MQTT messages. Messages of one event loop turn go to the ingestor as one batch; under
 * overload the batch is retried after a pause, which holds back the acknowledgements (back-pressure).
 */
export function createMqttIngest(ingestor: Ingestor, opts: { retryMs?: number; isClosing?: () => boolean } = {}) {
  let batch: Pending[] = [];
  const retryMs = opts.retryMs ?? 100;

  async function ingestWithRetry(items: unknown[], terminal?: string) {
    for (;;) {
      try {
        return await ingestor.ingest(items, terminal ? { transport: 'mqtt', terminal } : { transport: 'mqtt' });
      } catch (err) {
        if (!isPosopsError(err, 'INGEST_OVERLOADED') || opts.isClosing?.()) throw err;
        await delay(retryMs);
      }
    }
  }

  async function flush(pending: Pending[]): Promise<void> {
    try {
      const result = await ingestWithRetry(pending.map((p) => p.item));
      const errors = new Map(result.rejected.map((r) => [r.index, r.error]));
      pending.forEach((p, i) => {
        const error = errors.get(i);
        p.resolve(error === undefined ? { ok: true } : { ok: false, error, id: idOf(p.item) });
      });
    } catch (err) {
      for (const p of pending) p.reject(err);
    }
  }

  /** Ingests the payload of one message published on the events topic of `terminal`. */
  async function ingestMessage(terminal: string, payload: Buffer): Promise<MessageOutcome> {
    const item = trustedText(payload, terminal) ?? decodePayload(payload);
    const claimed = typeof item === 'object' && item !== null ? (item as Record<string, unknown>)['terminal'] : undefined;
    if (claimed !== undefined && claimed !== terminal) {
      // rare: let the ingestor refuse (and count) it under the topic's terminal
      const result = await ingestWithRetry([item], terminal);
      const error = result.rejected[0]?.error ?? `terminal ${String(claimed)} does not match topic terminal ${terminal}`;
      return result.accepted + result.duplicates > 0 ? { ok: true } : { ok: false, error, id: idOf(item) };
    }
    return new Promise<MessageOutcome>((resolve, reject) => {
      batch.push({ item, resolve, reject });
      if (batch.length === 1) {
        setImmediate(() => {
          const pending = batch;
          batch = [];
          void flush(pending);
        });
      }
    });
  }

  return { ingestMessage };
}
