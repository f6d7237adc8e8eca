// The locale (zh-CN or en, remembered in localStorage), translated strings, and locale formats.

import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { en, zh, type MessageKey } from './messages.ts';
import { MERCHANT_EN, MERCHANT_ZH, type MerchantText } from './merchant.ts';

export type Locale = 'zh-CN' | 'en';
const STORAGE_KEY = 'posops.locale';

function initialLocale(): Locale {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved === 'zh-CN' || saved === 'en') return saved;
  return 'zh-CN';
}

export interface I18n {
  locale: Locale;
  setLocale(l: Locale): void;
  t(key: MessageKey, vars?: Record<string, string | number>): string;
  /** Whether `key` is a message (for keys built from data, e.g. `entry.${mode}`). */
  has(key: string): key is MessageKey;
  num(n: number | undefined, opts?: Intl.NumberFormatOptions): string;
  pct(n: number | undefined): string;
  date(iso: string | number | undefined): string;
  dateTime(iso: string | number | undefined): string;
  merchantText(cause: string): MerchantText | undefined;
}

const I18nContext = createContext<I18n | undefined>(undefined);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  const setLocale = useCallback((l: Locale) => {
    localStorage.setItem(STORAGE_KEY, l);
    document.documentElement.lang = l;
    setLocaleState(l);
  }, []);
  const value = useMemo<I18n>(() => {
    const dict = locale === 'en' ? en : zh;
    const nf = new Intl.NumberFormat(locale);
    const pf = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
    const df = new Intl.DateTimeFormat(locale, { year: 'numeric', month: '2-digit', day: '2-digit' });
    const dtf = new Intl.DateTimeFormat(locale, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
    const toDate = (x: string | number) => (typeof x === 'number' ? new Date(x) : new Date(x));
    return {
      locale,
      setLocale,
      t: (key, vars) => {
        let s: string = dict[key] ?? key;
        if (vars) for (const [k, v] of Object.entries(vars)) s = s.replaceAll(`{${k}}`, String(v));
        return s;
      },
      has: (key): key is MessageKey => Object.hasOwn(dict, key),
      num: (n, opts) => (n === undefined ? '—' : opts ? new Intl.NumberFormat(locale, opts).format(n) : nf.format(n)),
      pct: (n) => (n === undefined ? '—' : pf.format(n)),
      date: (x) => (x === undefined ? '—' : df.format(toDate(x))),
      dateTime: (x) => (x === undefined ? '—' : dtf.format(toDate(x))),
      merchantText: (cause) => (locale === 'en' ? MERCHANT_EN : MERCHANT_ZH)[cause],
    };
  }, [locale, setLocale]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(I18nContext);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}
