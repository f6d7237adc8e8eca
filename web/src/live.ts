// GET /api/v1/stream (server-sent events) read through fetch so the bearer token goes in a header.

import { useEffect, useRef, useState } from 'react';
import { authHeaders } from './api.ts';

export interface LiveMessage {
  type: 'hello' | 'diagnosis' | 'incident';
  at?: string;
  terminals?: { terminal: string; status: string; cause?: string }[];
  more?: number;
  incident?: { id: string; cause: string; open: boolean; count: number; kind: 'opened' | 'changed' | 'closed' };
}

async function readStream(signal: AbortSignal, onMessage: (m: LiveMessage) => void, onOpen: () => void): Promise<void> {
  const res = await fetch('/api/v1/stream', { headers: { accept: 'text/event-stream', ...authHeaders() }, signal });
  if (!res.ok || !res.body) throw new Error(`stream answered ${res.status}`);
  onOpen();
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let cut: number;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      let type = 'message';
      let data = '';
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) type = line.slice(7);
        else if (line.startsWith('data: ')) data += line.slice(6);
      }
      if (data) onMessage({ ...(JSON.parse(data) as object), type } as LiveMessage);
    }
  }
}

/** Keeps one live connection while mounted (reconnecting after a pause); returns whether it is up. */
export function useLive(enabled: boolean, onMessage: (m: LiveMessage) => void): boolean {
  const [connected, setConnected] = useState(false);
  const handler = useRef(onMessage);
  handler.current = onMessage;
  useEffect(() => {
    if (!enabled) return;
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const connect = () => {
      readStream(abort.signal, (m) => handler.current(m), () => setConnected(true))
        .catch(() => undefined)
        .finally(() => {
          setConnected(false);
          if (!abort.signal.aborted) timer = setTimeout(connect, 5000);
        });
    };
    connect();
    return () => {
      abort.abort();
      if (timer) clearTimeout(timer);
    };
  }, [enabled]);
  return connected;
}
