// The part of an event the engine (and its correlator) reads. Readers that move events between
// threads send only this part: ids, raw timestamps and free text cost time to copy and parse,
// and the engine never looks at them (`tsMs` carries the time).

import type { PosEvent } from '../domain/index.ts';

/** Envelope and body fields no detector or correlator reads. */
export const UNREAD_FIELDS = ['v', 'id', 'ts', 'mem_free_mb', 'uptime_s', 'stan', 'mti', 'currency', 'amount', 'message', 'text', 'channel'] as const;

/** The same as a lookup object: one property load per key instead of a scan of the list. */
const UNREAD: Readonly<Record<string, true | undefined>> = Object.fromEntries(UNREAD_FIELDS.map((k) => [k, true]));

/** A shallow copy of `e` without the fields the engine never reads. */
export function engineView(e: PosEvent): PosEvent {
  const out: Record<string, unknown> = {};
  const src = e as unknown as Record<string, unknown>;
  for (const k in src) if (UNREAD[k] !== true) out[k] = src[k];
  return out as unknown as PosEvent;
}
