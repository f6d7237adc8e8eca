// The logged-in session: who I am (role, merchant) and the cause catalogue, loaded once after login.

import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, getToken, setToken, whenUnauthorized } from './api.ts';
import { useI18n } from './i18n/index.tsx';
import type { Catalogue, CauseInfo, Me } from './types.ts';

export interface Session {
  me?: Me;
  catalogue?: Catalogue;
  loggedIn: boolean;
  login(token: string): void;
  logout(): void;
  causeName(code: string | undefined): string;
  categoryName(code: string | undefined): string;
  cause(code: string | undefined): CauseInfo | undefined;
}

const SessionContext = createContext<Session | undefined>(undefined);

export function SessionProvider({ children }: { children: ReactNode }) {
  const { locale, t } = useI18n();
  const [token, setTok] = useState<string | null>(getToken());
  const [me, setMe] = useState<Me>();
  const [catalogue, setCatalogue] = useState<Catalogue>();

  const logout = useCallback(() => {
    setToken(null);
    setTok(null);
    setMe(undefined);
  }, []);
  const login = useCallback((tok: string) => {
    setToken(tok);
    setTok(tok);
  }, []);

  useEffect(() => whenUnauthorized(logout), [logout]);
  useEffect(() => {
    if (!token) return;
    let live = true;
    Promise.all([api<Me>('/api/v1/dashboard/me'), api<Catalogue>('/api/v1/causes')])
      .then(([m, c]) => {
        if (!live) return;
        setMe(m);
        setCatalogue(c);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [token]);

  const byCode = new Map((catalogue?.causes ?? []).map((c) => [c.code, c]));
  const value: Session = {
    me,
    catalogue,
    loggedIn: !!token,
    login,
    logout,
    cause: (code) => (code ? byCode.get(code) : undefined),
    causeName: (code) => (code ? (byCode.get(code)?.name[locale] ?? code) : t('common.unknown')),
    categoryName: (code) => (code ? (catalogue?.categories[code]?.[locale] ?? code) : t('common.unknown')),
  };
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const v = useContext(SessionContext);
  if (!v) throw new Error('useSession outside SessionProvider');
  return v;
}
