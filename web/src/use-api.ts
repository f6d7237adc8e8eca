// Loads one API resource for a component, with reload and live refresh.

import { useCallback, useEffect, useState } from 'react';
import { api } from './api.ts';
import { useLiveTick } from './live-context.ts';

export interface Loaded<T> {
  data?: T;
  error?: Error;
  loading: boolean;
  reload(): void;
}

export function useApi<T>(path: string | undefined): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({ loading: !!path });
  const [tick, setTick] = useState(0);
  const live = useLiveTick();
  useEffect(() => {
    if (!path) return;
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    api<T>(path)
      .then((data) => live && setState({ data, loading: false }))
      .catch((error: Error) => live && setState((s) => ({ data: s.data, error, loading: false })));
    return () => {
      live = false;
    };
  }, [path, tick, live]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { ...state, reload };
}
