// One terminal's story: diagnoses first (evidence, remedy), then charts over time, events, registry facts.

import { useMemo } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Alert, Card, Col, Descriptions, Empty, Row, Space, Tag, Timeline, Typography } from 'antd';
import { Chart } from '../components/chart.tsx';
import { Guard } from '../components/load-error.tsx';
import { StatusTag } from '../components/status-tag.tsx';
import { useI18n, type I18n } from '../i18n/index.tsx';
import { useSession } from '../session.tsx';
import type { Diagnosis, Profile, Series, SeriesPoint } from '../types.ts';
import { useApi } from '../use-api.ts';
import { scopeText } from '../components/scope.ts';

function DiagnosisCard({ d, i18n, index }: { d: Diagnosis; i18n: I18n; index: number }) {
  const session = useSession();
  const zh = i18n.locale === 'zh-CN';
  const evidence = zh && d.evidence_zh?.length ? d.evidence_zh : d.evidence;
  const remedy = (zh ? d.remedy_zh : undefined) ?? session.cause(d.cause)?.remedy[i18n.locale] ?? d.remedy;
  return (
    <Card size="small" data-testid={`diagnosis-${index}`} type={index === 0 ? undefined : 'inner'}
      title={<Space wrap><span data-testid="diagnosis-cause">{session.causeName(d.cause)}</span><Typography.Text type="secondary" className="nowrap">{d.cause}</Typography.Text></Space>}
      extra={<Space wrap size={4}>
        <Tag color="blue">{i18n.t('terminal.confidence', { p: i18n.pct(d.confidence) })}</Tag>
        <Typography.Text type="secondary">{i18n.t('terminal.since', { t: i18n.dateTime(d.since) })}</Typography.Text>
      </Space>}>
      <Row gutter={[16, 8]}>
        <Col xs={24} md={12}>
          <Typography.Title level={5} style={{ marginTop: 0 }}>{i18n.t('terminal.evidence')}</Typography.Title>
          <ul className="evidence" data-testid="evidence">{evidence.map((e, i) => <li key={i}>{e}</li>)}</ul>
        </Col>
        <Col xs={24} md={12}>
          <Typography.Title level={5} style={{ marginTop: 0 }}>{i18n.t('terminal.remedy')}</Typography.Title>
          <ol className="remedy" data-testid="remedy">{remedy.map((r, i) => <li key={i}>{r}</li>)}</ol>
        </Col>
      </Row>
    </Card>
  );
}

/** [t, value] pairs with a null where buckets are missing, so the line breaks instead of bridging hours without data. */
function withGaps(points: SeriesPoint[], key: 'rssi' | 'rtt' | 'battery' | 'temp', bucketMs: number): [number, number | null][] {
  const out: [number, number | null][] = [];
  for (const p of points) {
    const prev = out.at(-1);
    if (prev && p.t - prev[0] > bucketMs) out.push([prev[0] + bucketMs, null]);
    out.push([p.t, p[key] ?? null]);
  }
  return out;
}

function lineOption(points: SeriesPoint[], key: 'rssi' | 'rtt' | 'battery' | 'temp', color: string, i18n: I18n, bucketMs: number) {
  const fmt = new Intl.DateTimeFormat(i18n.locale, { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
  return {
    tooltip: { trigger: 'axis' },
    grid: { left: 44, right: 12, top: 12, bottom: 24 },
    xAxis: { type: 'time', axisLabel: { formatter: (v: number) => fmt.format(v), hideOverlap: true } },
    yAxis: { type: 'value', scale: true },
    series: [{ type: 'line', color, showSymbol: points.length < 4, connectNulls: false, data: withGaps(points, key, bucketMs) }],
  };
}

function eventType(type: string, i18n: I18n): string {
  const k = `event.${type}`;
  return i18n.has(k) ? i18n.t(k) : type;
}

/** Entry modes and the timeout pseudo-code in the reader's language; response codes stay codes. */
function seriesName(key: 'readFail' | 'declines', name: string, i18n: I18n): string {
  const k = key === 'readFail' ? `entry.${name}` : `decline.${name}`;
  return i18n.has(k) ? i18n.t(k) : name;
}

function stackOption(points: SeriesPoint[], key: 'readFail' | 'declines', i18n: I18n) {
  const names = [...new Set(points.flatMap((p) => Object.keys(p[key])))].sort();
  const fmt = new Intl.DateTimeFormat(i18n.locale, { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0, type: 'scroll' },
    grid: { left: 36, right: 12, top: 32, bottom: 24 },
    xAxis: { type: 'time', axisLabel: { formatter: (v: number) => fmt.format(v), hideOverlap: true } },
    yAxis: { type: 'value', minInterval: 1 },
    series: names.map((n) => ({ name: seriesName(key, n, i18n), type: 'bar', stack: key, barMaxWidth: 14, data: points.map((p) => [p.t, p[key][n] ?? 0]) })),
  };
}

function Charts({ series, i18n }: { series: Series; i18n: I18n }) {
  const p = series.points;
  const charts = useMemo(() => [
    { key: 'signal', title: i18n.t('chart.signal'), has: p.some((x) => x.rssi !== undefined), option: lineOption(p, 'rssi', '#1668dc', i18n, series.bucketMs) },
    { key: 'rtt', title: i18n.t('chart.rtt'), has: p.some((x) => x.rtt !== undefined), option: lineOption(p, 'rtt', '#13a8a8', i18n, series.bucketMs) },
    { key: 'battery', title: i18n.t('chart.battery'), has: p.some((x) => x.battery !== undefined), option: lineOption(p, 'battery', '#52c41a', i18n, series.bucketMs) },
    { key: 'temp', title: i18n.t('chart.temp'), has: p.some((x) => x.temp !== undefined), option: lineOption(p, 'temp', '#fa541c', i18n, series.bucketMs) },
    { key: 'readFail', title: i18n.t('chart.readFail'), has: p.some((x) => Object.keys(x.readFail).length > 0), option: stackOption(p, 'readFail', i18n) },
    { key: 'declines', title: i18n.t('chart.declines'), has: p.some((x) => Object.keys(x.declines).length > 0), option: stackOption(p, 'declines', i18n) },
  ], [p, i18n]);
  return (
    <Row gutter={[12, 12]}>
      {charts.map((c) => (
        <Col xs={24} md={12} xl={8} key={c.key}>
          <Card size="small" title={c.title}>
            {c.has ? <Chart testId={`chart-${c.key}`} option={c.option} height={200} /> : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={i18n.t('chart.noData')} style={{ height: 168 }} />}
          </Card>
        </Col>
      ))}
    </Row>
  );
}

function Facts({ profile, i18n }: { profile: Profile; i18n: I18n }) {
  const f = profile.facts;
  const date = (v: unknown) => (typeof v === 'string' ? i18n.date(v) : '—');
  const items = [
    { key: 'merchant', label: i18n.t('col.merchant'), children: f.merchant ?? '—' },
    { key: 'merchantName', label: i18n.t('fact.merchantName'), children: f.merchantName ?? '—' },
    { key: 'model', label: i18n.t('col.model'), children: f.model ?? '—' },
    { key: 'region', label: i18n.t('col.region'), children: f.region ?? '—' },
    { key: 'carrier', label: i18n.t('col.carrier'), children: f.carrier ?? '—' },
    { key: 'host', label: i18n.t('fact.host'), children: f.host ?? '—' },
    { key: 'firmware', label: i18n.t('fact.firmware'), children: f.firmware ?? '—' },
    { key: 'app', label: i18n.t('fact.app'), children: f.app ?? '—' },
    { key: 'sim', label: i18n.t('fact.sim_expires'), children: date(f.sim_expires) },
    { key: 'lease', label: i18n.t('fact.lease_expires'), children: date(f.lease_expires) },
    { key: 'installed', label: i18n.t('fact.installed'), children: date(f.installed) },
    { key: 'apps', label: i18n.t('fact.apps'), children: Array.isArray(f.apps) && f.apps.length ? f.apps.join(', ') : '—' },
  ];
  return <Descriptions size="small" bordered column={{ xs: 1, sm: 1, md: 1, lg: 1, xl: 2, xxl: 2 }} items={items} data-testid="facts" />;
}

function Events({ series, i18n }: { series?: Series; i18n: I18n }) {
  if (!series?.events.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={i18n.t('terminal.noEvents')} />;
  const colors = { info: 'gray', warn: 'orange', error: 'red' } as const;
  return (
    <div style={{ maxHeight: 420, overflowY: 'auto', paddingTop: 8 }}>
      <Timeline items={series.events.map((e, i) => ({ key: i, color: colors[e.level],
        content: <span><Typography.Text type="secondary" className="nowrap">{i18n.dateTime(e.ts)}</Typography.Text> <Tag>{eventType(e.type, i18n)}</Tag>{e.text}</span> }))} />
    </div>
  );
}

export default function Terminal() {
  const { terminal = '' } = useParams();
  const i18n = useI18n();
  const session = useSession();
  const profile = useApi<Profile>(`/api/v1/terminals/${encodeURIComponent(terminal)}/profile`);
  const series = useApi<Series>(`/api/v1/terminals/${encodeURIComponent(terminal)}/series`);
  const back = session.me?.role === 'merchant' ? '/merchant' : '/terminals';
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="terminal">
      <Link to={back}>← {i18n.t('terminal.back')}</Link>
      <Guard loaded={profile}>
        {(p) => (
          <Space orientation="vertical" size={12} style={{ width: '100%' }}>
            <Card size="small" title={<Space><span data-testid="terminal-id">{p.terminal}</span><StatusTag status={p.status} /></Space>}>
              {p.incident && (
                <Alert type="warning" showIcon style={{ marginBottom: 12 }} data-testid="terminal-incident"
                  title={<span>{i18n.t('terminal.incident')}: <Link to={`/incidents/${p.incident.id}`}>{session.causeName(p.incident.cause)}</Link> · {scopeText(p.incident.scope)} · {i18n.num(p.incident.count)}</span>} />
              )}
              <Typography.Title level={5} style={{ marginTop: 0 }}>{i18n.t('terminal.diagnoses')}</Typography.Title>
              {p.diagnoses.length === 0 ? <Typography.Text>{i18n.t('terminal.noDiagnoses')}</Typography.Text> : (
                <Space orientation="vertical" size={8} style={{ width: '100%' }}>
                  {p.diagnoses.map((d, i) => <DiagnosisCard key={`${d.cause}-${i}`} d={d} i18n={i18n} index={i} />)}
                </Space>
              )}
            </Card>
            <Card size="small" title={i18n.t('terminal.charts')}>
              {series.data ? <Charts series={series.data} i18n={i18n} /> : <Guard loaded={series}>{() => null}</Guard>}
            </Card>
            <Row gutter={[12, 12]}>
              <Col xs={24} lg={12}><Card size="small" title={i18n.t('terminal.timeline')}><Events series={series.data} i18n={i18n} /></Card></Col>
              <Col xs={24} lg={12}><Card size="small" title={i18n.t('terminal.facts')}><Facts profile={p} i18n={i18n} /></Card></Col>
            </Row>
          </Space>
        )}
      </Guard>
    </Space>
  );
}
