// Overview: the fleet at a glance. Every figure clicks through to the filtered terminal list.

import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { Card, Col, Empty, List, Row, Segmented, Statistic, Table, Tag, Typography } from 'antd';
import { Chart, STATUS_COLORS } from '../components/chart.tsx';
import { Guard } from '../components/load-error.tsx';
import { scopeText } from '../components/scope.ts';
import { useI18n, type I18n } from '../i18n/index.tsx';
import { useSession, type Session } from '../session.tsx';
import { STATUSES, type Overview as OverviewData, type StatusSample, type TroubleRow } from '../types.ts';
import { useApi } from '../use-api.ts';

const TROUBLE = ['faulty', 'offline', 'degraded', 'locked'] as const;
const TROUBLE_PARAM = 'status=degraded,faulty,offline,locked';

function historyOption(points: StatusSample[], i18n: I18n, week: boolean) {
  const fmt = new Intl.DateTimeFormat(i18n.locale, week ? { month: '2-digit', day: '2-digit', hour: '2-digit' } : { hour: '2-digit', minute: '2-digit' });
  const real = points.filter((p) => !p.estimated).length;
  const line = (key: 'faulty' | 'offline', estimated: boolean) => ({
    name: i18n.t(`status.${key}`), type: 'line', showSymbol: !estimated && real < 4, connectNulls: false,
    lineStyle: { type: estimated ? 'dashed' : 'solid' }, color: STATUS_COLORS[key],
    data: points.map((p, i) => {
      const next = points[i + 1];
      const mine = !!p.estimated === estimated || (estimated && next && !next.estimated);
      return [p.t, mine ? p[key] : null];
    }),
  });
  return {
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => i18n.num(v) },
    legend: { top: 0, data: [i18n.t('status.faulty'), i18n.t('status.offline')] },
    grid: { left: 48, right: 16, top: 36, bottom: 28 },
    xAxis: { type: 'time', axisLabel: { formatter: (v: number) => fmt.format(v), hideOverlap: true } },
    yAxis: { type: 'value', minInterval: 1 },
    series: [line('faulty', false), line('offline', false), { ...line('faulty', true), name: i18n.t('status.faulty') }, { ...line('offline', true), name: i18n.t('status.offline') }],
  };
}

function troubleOption(rows: TroubleRow[], i18n: I18n) {
  const names = [...rows].reverse().map((r) => r.name);
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0, data: TROUBLE.map((s) => i18n.t(`status.${s}`)) },
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: names },
    series: TROUBLE.map((s) => ({ name: i18n.t(`status.${s}`), type: 'bar', stack: 'trouble', color: STATUS_COLORS[s], data: [...rows].reverse().map((r) => r[s]) })),
  };
}

function Figures({ data }: { data: OverviewData }) {
  const { t, num } = useI18n();
  const navigate = useNavigate();
  return (
    <Row gutter={[12, 12]}>
      <Col xs={12} sm={8} md={4}>
        <Card size="small" className="figure-card" data-testid="figure-total" onClick={() => navigate('/terminals')}>
          <Statistic title={t('overview.total')} value={num(data.total)} />
        </Card>
      </Col>
      {STATUSES.map((s) => (
        <Col xs={12} sm={8} md={4} key={s}>
          <Card size="small" className="figure-card" data-testid={`figure-${s}`} onClick={() => navigate(`/terminals?status=${s}`)}>
            <Statistic title={t(`status.${s}`)} value={num(data.byStatus[s])} styles={{ content: { color: s === 'ok' ? undefined : STATUS_COLORS[s] } }} />
          </Card>
        </Col>
      ))}
    </Row>
  );
}

function CauseCharts({ data, session, i18n }: { data: OverviewData; session: Session; i18n: I18n }) {
  const navigate = useNavigate();
  const categoryOption = useMemo(() => ({
    tooltip: { trigger: 'item' },
    legend: { bottom: 0, type: 'scroll' },
    color: ['#1668dc', '#13a8a8', '#fa8c16', '#eb2f96', '#722ed1', '#52c41a', '#faad14'],
    series: [{ type: 'pie', radius: ['35%', '65%'], center: ['50%', '44%'], label: { position: 'inside', formatter: '{c}', color: '#fff' },
      data: data.byCategory.map((c) => ({ name: session.categoryName(c.category), value: c.count, code: c.category })) }],
  }), [data, session, i18n.locale]);
  const causes = data.byCause.slice(0, 12).reverse();
  const causeOption = useMemo(() => ({
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: causes.map((c) => session.causeName(c.cause)), axisLabel: { width: 150, overflow: 'truncate' } },
    series: [{ type: 'bar', color: '#1668dc', data: causes.map((c) => ({ value: c.count, code: c.cause })), label: { show: true, position: 'right' } }],
  }), [data, session, i18n.locale]);
  return (
    <Row gutter={[12, 12]}>
      <Col xs={24} md={10}>
        <Card size="small" title={i18n.t('overview.byCategory')}>
          {data.byCategory.length ? <Chart testId="chart-category" option={categoryOption} height={300}
            onClick={(p) => navigate(`/terminals?category=${(p.data as { code: string }).code}`)} /> : <Empty description={i18n.t('overview.noTrouble')} />}
        </Card>
      </Col>
      <Col xs={24} md={14}>
        <Card size="small" title={i18n.t('overview.byCause')}>
          {causes.length ? <Chart testId="chart-cause" option={causeOption} height={300}
            onClick={(p) => navigate(`/terminals?cause=${(p.data as { code: string }).code}`)} /> : <Empty description={i18n.t('overview.noTrouble')} />}
        </Card>
      </Col>
    </Row>
  );
}

function History({ data, i18n }: { data: OverviewData; i18n: I18n }) {
  const [span, setSpan] = useState<'day' | 'week'>('day');
  const navigate = useNavigate();
  const points = data.history[span];
  const option = useMemo(() => historyOption(points, i18n, span === 'week'), [points, i18n, span]);
  return (
    <Card size="small" title={i18n.t('overview.history')}
      extra={<Segmented size="small" value={span} onChange={(v) => setSpan(v as 'day' | 'week')}
        options={[{ label: i18n.t('overview.history.day'), value: 'day' }, { label: i18n.t('overview.history.week'), value: 'week' }]} />}>
      <Chart testId="chart-history" option={option} height={240}
        onClick={(p) => navigate(`/terminals?status=${p.seriesName === i18n.t('status.offline') ? 'offline' : 'faulty'}`)} />
      {points.some((p) => p.estimated) && <Typography.Text type="secondary">{i18n.t('overview.history.estimated')}</Typography.Text>}
    </Card>
  );
}

function Lists({ data, session, i18n }: { data: OverviewData; session: Session; i18n: I18n }) {
  const navigate = useNavigate();
  return (
    <Row gutter={[12, 12]}>
      <Col xs={24} lg={12}>
        <Card size="small" title={`${i18n.t('overview.incidents')} (${i18n.num(data.incidents.open)})`} data-testid="overview-incidents">
          <List size="small" dataSource={data.incidents.items} locale={{ emptyText: i18n.t('overview.noIncidents') }}
            renderItem={(inc) => (
              <List.Item style={{ cursor: 'pointer' }} onClick={() => navigate(`/incidents/${inc.id}`)}
                extra={<Tag>{i18n.num(inc.count)}</Tag>}>
                <List.Item.Meta title={session.causeName(inc.cause)}
                  description={<span>{scopeText(inc.scope)} · {i18n.t('terminal.since', { t: i18n.dateTime(inc.since) })}</span>} />
              </List.Item>
            )} />
        </Card>
      </Col>
      <Col xs={24} lg={12}>
        <Card size="small" title={`${i18n.t('overview.contracts')} (${i18n.num(data.contracts.total)})`}>
          <Table size="small" rowKey={(r) => `${r.terminal}-${r.kind}`} dataSource={data.contracts.items} pagination={false} scroll={{ y: 260 }}
            locale={{ emptyText: i18n.t('overview.noContracts') }}
            onRow={(r) => ({ onClick: () => navigate(`/terminals/${r.terminal}`), style: { cursor: 'pointer' } })}
            columns={[
              { title: i18n.t('col.terminal'), dataIndex: 'terminal' },
              { title: i18n.t('col.kind'), dataIndex: 'kind', render: (k: 'sim' | 'lease') => i18n.t(`contract.${k}`) },
              { title: i18n.t('col.expires'), dataIndex: 'expires', render: (d: string) => i18n.date(d) },
              { title: i18n.t('col.merchant'), dataIndex: 'merchant', responsive: ['sm'] },
            ]} />
        </Card>
      </Col>
    </Row>
  );
}

function Trouble({ data, i18n }: { data: OverviewData; i18n: I18n }) {
  const navigate = useNavigate();
  const region = useMemo(() => troubleOption(data.byRegion, i18n), [data, i18n]);
  const model = useMemo(() => troubleOption(data.byModel, i18n), [data, i18n]);
  const height = (n: number) => Math.max(160, 60 + n * 26);
  return (
    <Row gutter={[12, 12]}>
      <Col xs={24} md={12}>
        <Card size="small" title={i18n.t('overview.byRegion')}>
          {data.byRegion.length ? <Chart testId="chart-region" option={region} height={height(data.byRegion.length)}
            onClick={(p) => navigate(`/terminals?region=${encodeURIComponent(p.name)}&${TROUBLE_PARAM}`)} /> : <Empty description={i18n.t('overview.noTrouble')} />}
        </Card>
      </Col>
      <Col xs={24} md={12}>
        <Card size="small" title={i18n.t('overview.byModel')}>
          {data.byModel.length ? <Chart testId="chart-model" option={model} height={height(data.byModel.length)}
            onClick={(p) => navigate(`/terminals?model=${encodeURIComponent(p.name)}&${TROUBLE_PARAM}`)} /> : <Empty description={i18n.t('overview.noTrouble')} />}
        </Card>
      </Col>
    </Row>
  );
}

export default function Overview() {
  const i18n = useI18n();
  const session = useSession();
  const loaded = useApi<OverviewData>('/api/v1/dashboard/overview');
  return (
    <Guard loaded={loaded}>
      {(data) => (
        <div style={{ display: 'flex', flexDirection: 'column', gap: 12 }} data-testid="overview">
          <Figures data={data} />
          <CauseCharts data={data} session={session} i18n={i18n} />
          <History data={data} i18n={i18n} />
          <Lists data={data} session={session} i18n={i18n} />
          <Trouble data={data} i18n={i18n} />
        </div>
      )}
    </Guard>
  );
}
