// Waits for an asynchronous outcome: retries `assertion` until it passes or `timeoutMs` runs out,
// then rethrows the last failure. Use it instead of bare sleeps in tests.
import { setTimeout as delay } from 'node:timers/promises';

export async function eventually(assertion: () => void | Promise<void>, timeoutMs = 5000, intervalMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) break;
    await delay(Math.min(intervalMs, Math.max(1, deadline - Date.now())));
  }
  const message = lastError instanceof Error ? lastError.message : String(lastError);
  const failure = new Error(`eventually(): not satisfied within ${timeoutMs} ms: ${message}`);
  (failure as Error & { cause?: unknown }).cause = lastError;
  throw failure;
}
