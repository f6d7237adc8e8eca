// Terminals: the fleet list, filtered, sorted and paged on the server; the filter lives in the URL.

import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { Button, Card, Col, Input, Row, Select, Space, Table, Typography } from 'antd';
import type { TableProps } from 'antd';
import { authHeaders, queryString } from '../api.ts';
import { StatusTag } from '../components/status-tag.tsx';
import { useI18n } from '../i18n/index.tsx';
import { useSession } from '../session.tsx';
import { STATUSES, type Status, type TerminalRow } from '../types.ts';
import { useApi } from '../use-api.ts';

const MULTI = ['status', 'category', 'cause', 'model', 'region', 'carrier'] as const;
const SINGLE = ['merchant', 'version', 'search', 'incident', 'sort', 'order'] as const;
const PAGE_SIZE = 50;

interface Facets { models: string[]; regions: string[]; carriers: string[]; versions: string[] }

function useFilter() {
  const [params, setParams] = useSearchParams();
  const filter: Record<string, string | string[] | number | undefined> = {};
  for (const k of MULTI) filter[k] = params.get(k)?.split(',').filter(Boolean) ?? [];
  for (const k of SINGLE) filter[k] = params.get(k) ?? undefined;
  const page = Number(params.get('page') ?? '1') || 1;
  const set = (changes: Record<string, string | string[] | undefined>, keepPage = false) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      const s = Array.isArray(v) ? v.join(',') : v;
      if (s) next.set(k, s);
      else next.delete(k);
    }
    if (!keepPage) next.delete('page');
    setParams(next, { replace: true });
  };
  return { filter, page, set, clear: () => setParams(new URLSearchParams(), { replace: true }) };
}

async function downloadCsv(query: string): Promise<void> {
  const res = await fetch(`/api/v1/terminals.csv${query}`, { headers: authHeaders() });
  if (!res.ok) throw new Error(`export answered ${res.status}`);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'terminals.csv';
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export default function Terminals() {
  const i18n = useI18n();
  const { t } = i18n;
  const session = useSession();
  const { filter, page, set, clear } = useFilter();
  const [exporting, setExporting] = useState(false);
  const facets = useApi<Facets>('/api/v1/dashboard/facets').data;
  const query = queryString({ ...filter, offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE } as Record<string, string | string[] | number | undefined>);
  const listQuery = queryString(filter as Record<string, string | string[] | undefined>);
  const list = useApi<{ total: number; rows: TerminalRow[] }>(`/api/v1/terminals${query}`);
  const opts = (values: string[] | undefined) => (values ?? []).map((v) => ({ label: v, value: v }));
  const causeOptions = useMemo(() => (session.catalogue?.causes ?? []).map((c) => ({ label: c.name[i18n.locale], value: c.code })), [session.catalogue, i18n.locale]);
  const categoryOptions = useMemo(() => Object.entries(session.catalogue?.categories ?? {}).map(([k, v]) => ({ label: v[i18n.locale], value: k })), [session.catalogue, i18n.locale]);

  const sortOrder = (key: string) => (filter.sort === key ? (filter.order === 'desc' ? 'descend' : 'ascend') : null);
  const columns: TableProps<TerminalRow>['columns'] = [
    { title: t('col.terminal'), dataIndex: 'terminal', key: 'terminal', sorter: true, sortOrder: sortOrder('terminal'), render: (v: string) => <Link to={`/terminals/${v}`}>{v}</Link> },
    { title: t('col.status'), dataIndex: 'status', key: 'severity', sorter: true, sortOrder: sortOrder('severity'), render: (s: Status) => <StatusTag status={s} /> },
    { title: t('col.cause'), dataIndex: 'cause', key: 'cause', width: '22%', sorter: true, sortOrder: sortOrder('cause'), ellipsis: true, render: (c?: string) => (c ? session.causeName(c) : '—') },
    { title: t('col.confidence'), dataIndex: 'confidence', key: 'confidence', sorter: true, sortOrder: sortOrder('confidence'), responsive: ['lg'], render: (c?: number) => i18n.pct(c) },
    { title: t('col.since'), dataIndex: 'since', key: 'since', sorter: true, sortOrder: sortOrder('since'), responsive: ['xl'], render: (s?: string) => (s ? i18n.dateTime(s) : '—') },
    { title: t('col.merchant'), dataIndex: 'merchant', key: 'merchant', sorter: true, sortOrder: sortOrder('merchant'), ellipsis: true, responsive: ['md'], render: (m: string | undefined, r) => (m ? `${r.merchantName ?? ''} ${m}`.trim() : '—') },
    { title: t('col.model'), dataIndex: 'model', key: 'model', sorter: true, sortOrder: sortOrder('model'), responsive: ['md'] },
    { title: t('col.region'), dataIndex: 'region', key: 'region', sorter: true, sortOrder: sortOrder('region'), responsive: ['md'] },
    { title: t('col.carrier'), dataIndex: 'carrier', key: 'carrier', sorter: true, sortOrder: sortOrder('carrier'), responsive: ['xl'] },
    { title: t('col.version'), dataIndex: 'version', key: 'version', sorter: true, sortOrder: sortOrder('version'), responsive: ['xl'] },
  ];
  const multi = (key: (typeof MULTI)[number], placeholder: string, options: { label: string; value: string }[]) => (
    <Col xs={12} md={8} xl={4} key={key}>
      <Select mode="multiple" allowClear maxTagCount="responsive" style={{ width: '100%' }} placeholder={placeholder} data-testid={`filter-${key}`}
        value={filter[key] as string[]} options={options} optionFilterProp="label" onChange={(v: string[]) => set({ [key]: v })} />
    </Col>
  );

  return (
    <Card size="small" title={t('terminals.title')} data-testid="terminals"
      extra={<Space wrap>
        <Typography.Text data-testid="terminals-total">{list.data ? t('terminals.total', { n: i18n.num(list.data.total) }) : ''}</Typography.Text>
        <Button size="small" onClick={clear}>{t('terminals.reset')}</Button>
        <Button size="small" type="primary" loading={exporting} data-testid="export-csv"
          onClick={() => { setExporting(true); downloadCsv(listQuery).finally(() => setExporting(false)); }}>{t('terminals.export')}</Button>
      </Space>}>
      <Row gutter={[8, 8]} style={{ marginBottom: 12 }}>
        {multi('status', t('col.status'), STATUSES.map((s) => ({ label: t(`status.${s}`), value: s })))}
        {multi('category', t('col.category'), categoryOptions)}
        {multi('cause', t('col.cause'), causeOptions)}
        {multi('model', t('col.model'), opts(facets?.models))}
        {multi('region', t('col.region'), opts(facets?.regions))}
        {multi('carrier', t('col.carrier'), opts(facets?.carriers))}
        <Col xs={12} md={8} xl={4}>
          <Select allowClear style={{ width: '100%' }} placeholder={t('col.version')} value={filter.version as string | undefined}
            options={opts(facets?.versions)} onChange={(v?: string) => set({ version: v })} />
        </Col>
        <Col xs={12} md={8} xl={4}>
          <Input.Search allowClear placeholder={t('terminals.merchant')} defaultValue={filter.merchant as string | undefined} onSearch={(v) => set({ merchant: v.trim() })} />
        </Col>
        <Col xs={24} md={8} xl={4}>
          <Input.Search allowClear placeholder={t('terminals.search')} defaultValue={filter.search as string | undefined} data-testid="filter-search" onSearch={(v) => set({ search: v.trim() })} />
        </Col>
      </Row>
      <Table<TerminalRow> size="small" rowKey="terminal" columns={columns} dataSource={list.data?.rows} loading={list.loading} data-testid="terminal-table"
        pagination={{ current: page, pageSize: PAGE_SIZE, total: list.data?.total ?? 0, showSizeChanger: false, simple: false, showLessItems: true }}
        onChange={(p, _f, sorter) => {
          const s = Array.isArray(sorter) ? sorter[0] : sorter;
          const sort = s?.order ? String(s.columnKey) : undefined;
          const changes: Record<string, string | undefined> = { page: p.current && p.current > 1 ? String(p.current) : undefined, sort, order: s?.order === 'descend' ? 'desc' : undefined };
          const sortChanged = sort !== filter.sort || changes.order !== filter.order;
          set(sortChanged ? { ...changes, page: undefined } : changes, !sortChanged);
        }} />
    </Card>
  );
}
