// The dashboard shell: locale and session providers, the top bar, and the routes (each page loaded lazily).

import { lazy, Suspense, useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { App as AntApp, Badge, Button, ConfigProvider, Layout, Menu, Space, Spin } from 'antd';
import zhCN from 'antd/es/locale/zh_CN.js';
import enUS from 'antd/es/locale/en_US.js';
import type { Locale as AntLocale } from 'antd/es/locale/index.js';
import { I18nProvider, useI18n } from './i18n/index.tsx';
import { SessionProvider, useSession } from './session.tsx';
import { LiveContext } from './live-context.ts';
import { useLive, type LiveMessage } from './live.ts';

// antd's es/ files are ESM without "type": "module", so TypeScript sees a namespace; Vite sees the default.
const antLocale = (m: unknown): AntLocale => ((m as { default?: AntLocale }).default ?? m) as AntLocale;
const ANT_ZH = antLocale(zhCN);
const ANT_EN = antLocale(enUS);

const Login = lazy(() => import('./pages/login.tsx'));
const Overview = lazy(() => import('./pages/overview.tsx'));
const Terminals = lazy(() => import('./pages/terminals.tsx'));
const Terminal = lazy(() => import('./pages/terminal.tsx'));
const Incidents = lazy(() => import('./pages/incidents.tsx'));
const Incident = lazy(() => import('./pages/incident.tsx'));
const Merchant = lazy(() => import('./pages/merchant.tsx'));

function TopBar({ connected }: { connected: boolean }) {
  const { t, locale, setLocale } = useI18n();
  const session = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const merchant = session.me?.role === 'merchant';
  const items = merchant
    ? [{ key: '/merchant', label: t('nav.myTerminals') }]
    : [
        { key: '/', label: t('nav.overview') },
        { key: '/terminals', label: t('nav.terminals') },
        { key: '/incidents', label: t('nav.incidents') },
      ];
  const selected = items.filter((i) => i.key !== '/' && location.pathname.startsWith(i.key)).map((i) => i.key);
  return (
    <Layout.Header className="topbar">
      <div className="brand" onClick={() => navigate(merchant ? '/merchant' : '/')}>{t('app.title')}</div>
      <Menu theme="dark" mode="horizontal" className="topmenu" items={items}
        selectedKeys={selected.length ? selected : location.pathname === '/' ? ['/'] : []} onClick={(e) => navigate(e.key)} />
      <Space size="small" className="topactions">
        <Badge status={connected ? 'success' : 'default'} text={<span className="live">{connected ? t('live.on') : t('live.off')}</span>} />
        <Button size="small" data-testid="lang-switch" onClick={() => setLocale(locale === 'en' ? 'zh-CN' : 'en')}>{t('lang.switch')}</Button>
        <Button size="small" type="text" className="logout" onClick={() => { session.logout(); navigate('/login'); }}>{t('nav.logout')}</Button>
      </Space>
    </Layout.Header>
  );
}

function Home() {
  const { me } = useSession();
  if (!me) return <Spin style={{ display: 'block', margin: '48px auto' }} />;
  return me.role === 'merchant' ? <Navigate to="/merchant" replace /> : <Overview />;
}

function Shell() {
  const session = useSession();
  const { t } = useI18n();
  const { notification } = AntApp.useApp();
  const [tick, setTick] = useState(0);
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const onMessage = useCallback((m: LiveMessage) => {
    if (m.type === 'hello') return;
    // Only an incident that opens or ends is worth interrupting someone for; members joining and
    // leaving show up in the refreshed figures and on the incident's page.
    if (m.type === 'incident' && m.incident && m.incident.kind !== 'changed') {
      notification.info({ key: `incident:${m.incident.id}:${m.incident.kind}`, title: t('live.incident', { cause: session.causeName(m.incident.cause), kind: t(`live.kind.${m.incident.kind}`) }), placement: 'bottomRight' });
    }
    if (!pending.current) pending.current = setTimeout(() => { pending.current = undefined; setTick((n) => n + 1); }, 1500);
  }, [notification, t, session]);
  useEffect(() => () => clearTimeout(pending.current), []);
  const connected = useLive(session.loggedIn, onMessage);
  const location = useLocation();
  if (!session.loggedIn) return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  return (
    <LiveContext.Provider value={tick}>
      <Layout style={{ minHeight: '100vh' }}>
        <TopBar connected={connected} />
        <Layout.Content className="content">
          <Suspense fallback={<Spin style={{ display: 'block', margin: '48px auto' }} />}>
            <Routes>
              <Route path="/" element={<Home />} />
              <Route path="/terminals" element={<Terminals />} />
              <Route path="/terminals/:terminal" element={<Terminal />} />
              <Route path="/incidents" element={<Incidents />} />
              <Route path="/incidents/:id" element={<Incident />} />
              <Route path="/merchant" element={<Merchant />} />
              <Route path="*" element={<Navigate to="/" replace />} />
            </Routes>
          </Suspense>
        </Layout.Content>
      </Layout>
    </LiveContext.Provider>
  );
}

function Localized({ children }: { children: ReactNode }) {
  const { locale } = useI18n();
  useEffect(() => {
    document.documentElement.lang = locale;
    document.title = locale === 'en' ? 'posops — POS fleet' : 'posops — POS 终端运维';
  }, [locale]);
  return (
    <ConfigProvider locale={locale === 'en' ? ANT_EN : ANT_ZH} button={{ autoInsertSpace: false }} theme={{ token: { colorPrimary: '#1668dc', borderRadius: 6 } }}>
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

export function App() {
  return (
    <I18nProvider>
      <Localized>
        <BrowserRouter>
          <SessionProvider>
            <Routes>
              <Route path="/login" element={<Suspense fallback={null}><Login /></Suspense>} />
              <Route path="*" element={<Shell />} />
            </Routes>
          </SessionProvider>
        </BrowserRouter>
      </Localized>
    </I18nProvider>
  );
}
