// A progress bar over the bytes of input files, on stderr and only when stderr is a terminal
// (pipes and CI logs get nothing): `posops import --events` and `posops diagnose`.
import { SingleBar } from 'cli-progress';
import { stat } from 'node:fs/promises';

export interface BytesProgress {
  /** `bytes`: done so far over all files, the current file's read bytes included. */
  update(file: string, bytes: number): void;
  stop(): void;
}

export function bytesProgressBar(totalBytes: number, stream: NodeJS.WriteStream = process.stderr): BytesProgress {
  if (!stream.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar({
    stream,
    format: '{file} [{bar}] {percentage}% | {mb}/{totalMb} MB | eta {eta}s',
    hideCursor: true,
  });
  const mb = (n: number) => (n / 1e6).toFixed(1);
  bar.start(totalBytes, 0, { file: '', mb: mb(0), totalMb: mb(totalBytes) });
  return {
    update: (file, bytes) => bar.update(bytes, { file, mb: mb(bytes), totalMb: mb(totalBytes) }),
    stop: () => bar.stop(),
  };
}

/** Each file's size in bytes (0 when it cannot be read: the reader reports that). */
export async function fileSizes(files: string[]): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  for (const f of files) sizes.set(f, await stat(f).then((s) => s.size, () => 0));
  return sizes;
}
