// Importing NDJSON files through the ingestor (transport 'file'): the code `posops import` and
// the file benchmark run. Batches go to the ingestor two at a time so reading, validating and the
// log's write+fsync overlap.
import { readNdjsonBatches } from './ndjson.file.ts';
import type { IngestResult, Ingestor } from './ingest.types.ts';

export interface FileImportResult {
  /** Non-blank lines read. */
  lines: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  /** The first `maxReported` rejected lines with their reason. */
  rejections: { line: number; error: string }[];
}

export interface FileImportOptions {
  onBytes?: (bytesRead: number) => void;
  maxReported?: number;
  maxLineBytes?: number;
}

const IN_FLIGHT = 2;

function tally(result: FileImportResult, numbers: number[], answer: IngestResult, maxReported: number): void {
  result.accepted += answer.accepted;
  result.duplicates += answer.duplicates;
  result.rejected += answer.rejected.length;
  for (const r of answer.rejected) {
    if (result.rejections.length < maxReported) result.rejections.push({ line: numbers[r.index]!, error: r.error });
  }
}

/** Reads one NDJSON file (gzip too) into the ingestor; resolves when every accepted event is durable. */
export async function importNdjsonFile(ingestor: Ingestor, path: string, opts: FileImportOptions = {}): Promise<FileImportResult> {
  const maxReported = opts.maxReported ?? 50;
  const result: FileImportResult = { lines: 0, accepted: 0, duplicates: 0, rejected: 0, rejections: [] };
  const inFlight: Promise<void>[] = [];
  const readOpts = { ...(opts.onBytes ? { onBytes: opts.onBytes } : {}), ...(opts.maxLineBytes ? { maxLineBytes: opts.maxLineBytes } : {}) };
  try {
    for await (const batch of readNdjsonBatches(path, readOpts)) {
      result.lines += batch.length;
      const texts: string[] = [];
      const numbers: number[] = [];
      for (const l of batch) {
        if (l.error === undefined) {
          texts.push(l.text);
          numbers.push(l.line);
        } else {
          result.rejected++;
          if (result.rejections.length < maxReported) result.rejections.push({ line: l.line, error: l.error });
        }
      }
      if (texts.length === 0) continue;
      if (inFlight.length >= IN_FLIGHT) await inFlight.shift();
      const done = ingestor.ingest(texts, { transport: 'file' }).then((answer) => tally(result, numbers, answer, maxReported));
      done.catch(() => undefined); // handled when awaited below; never an unhandled rejection meanwhile
      inFlight.push(done);
    }
    await Promise.all(inFlight);
  } catch (err) {
    await Promise.allSettled(inFlight);
    throw err;
  }
  result.rejections.sort((a, b) => a.line - b.line);
  return result;
}
