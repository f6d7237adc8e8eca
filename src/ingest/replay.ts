// Reading events back from the log (engine replay on start, batch tools).
import { validateLine, type PosEvent } from '../domain/index.ts';
import type { EventLog } from '../log/index.ts';

/** Decodes one log record into its event (tsMs restored); undefined if it no longer validates. */
export function decodeLogRecord(data: Buffer): PosEvent | undefined {
  const v = validateLine(data.toString('utf8'));
  return v.ok ? v.event : undefined;
}

/** The events of the log from `from`, in log order, with their offsets. Records that no longer validate are skipped and counted in `skipped`. */
export async function* readEvents(log: EventLog, from = 0, skipped: { count: number } = { count: 0 }): AsyncGenerator<{ event: PosEvent; offset: number }> {
  for await (const record of log.read(from)) {
    const event = decodeLogRecord(record.data);
    if (event) yield { event, offset: Number(record.offset) };
    else skipped.count++;
  }
}
