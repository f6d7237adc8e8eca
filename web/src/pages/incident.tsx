// One incident: cause, scope, terminals, since when, joins and leaves, and what to tell merchants.

import { Link, useParams } from 'react-router-dom';
import { Card, Col, Descriptions, Row, Space, Table, Tag, Timeline, Typography } from 'antd';
import { Guard } from '../components/load-error.tsx';
import { StatusTag } from '../components/status-tag.tsx';
import { useI18n } from '../i18n/index.tsx';
import { useSession } from '../session.tsx';
import type { IncidentDetail, Status } from '../types.ts';
import { useApi } from '../use-api.ts';
import { scopeText } from '../components/scope.ts';

export default function Incident() {
  const { id = '' } = useParams();
  const i18n = useI18n();
  const session = useSession();
  const loaded = useApi<IncidentDetail>(`/api/v1/dashboard/incidents/${encodeURIComponent(id)}`);
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="incident">
      <Link to="/incidents">← {i18n.t('incidents.title')}</Link>
      <Guard loaded={loaded}>
        {(inc) => {
          const zh = i18n.locale === 'zh-CN';
          const evidence = zh && inc.evidence_zh?.length ? inc.evidence_zh : inc.evidence;
          const tell = i18n.merchantText(inc.cause);
          const remedy = session.cause(inc.cause)?.remedy[i18n.locale] ?? [];
          return (
            <>
              <Card size="small" title={<Space wrap>{session.causeName(inc.cause)}<Tag color={inc.open ? 'red' : 'default'}>{inc.open ? i18n.t('incidents.open') : i18n.t('incidents.closed')}</Tag></Space>}>
                <Descriptions size="small" column={{ xs: 1, md: 2 }} items={[
                  { key: 'scope', label: i18n.t('col.scope'), children: scopeText(inc.scope) },
                  { key: 'count', label: i18n.t('col.count'), children: i18n.num(inc.count) },
                  { key: 'since', label: i18n.t('col.since'), children: i18n.dateTime(inc.since) },
                  ...(inc.closedAt ? [{ key: 'closed', label: i18n.t('incidents.closed'), children: i18n.dateTime(inc.closedAt) }] : []),
                ]} />
                {evidence && evidence.length > 0 && (<><Typography.Title level={5}>{i18n.t('incident.evidence')}</Typography.Title><ul>{evidence.map((e, i) => <li key={i}>{e}</li>)}</ul></>)}
              </Card>
              <Row gutter={[12, 12]}>
                <Col xs={24} md={12}>
                  <Card size="small" title={i18n.t('incident.tell')} data-testid="incident-tell">
                    {tell && <Typography.Paragraph strong>{tell.problem}</Typography.Paragraph>}
                    {tell && <ol>{tell.steps.map((s, i) => <li key={i}>{s}</li>)}</ol>}
                    <Typography.Title level={5}>{i18n.t('incident.remedy')}</Typography.Title>
                    <ol>{remedy.map((s, i) => <li key={i}>{s}</li>)}</ol>
                  </Card>
                </Col>
                <Col xs={24} md={12}>
                  <Card size="small" title={i18n.t('incident.timeline')}>
                    <Timeline items={inc.timeline.map((e, i) => ({ key: i, color: e.kind === 'left' || e.kind === 'closed' ? 'green' : 'red',
                      content: <span><Typography.Text type="secondary">{i18n.dateTime(e.at)}</Typography.Text> {i18n.t(`incident.tl.${e.kind}`, { n: i18n.num(e.count) })}
                        {e.kind !== 'closed' && e.terminals.length > 0 && <Typography.Text type="secondary"> — {e.terminals.slice(0, 8).join(', ')}{e.count > 8 ? ` ${i18n.t('common.more', { n: i18n.num(e.count - 8) })}` : ''}</Typography.Text>}</span> }))} />
                  </Card>
                </Col>
              </Row>
              <Card size="small" title={`${i18n.t('incident.terminals')} (${i18n.num(inc.count)})`}>
                <Table size="small" rowKey="terminal" dataSource={inc.terminals} pagination={{ pageSize: 20, hideOnSinglePage: true }}
                  columns={[
                    { title: i18n.t('col.terminal'), dataIndex: 'terminal', render: (v: string) => <Link to={`/terminals/${v}`}>{v}</Link> },
                    { title: i18n.t('col.status'), dataIndex: 'status', render: (s?: Status) => <StatusTag status={s} /> },
                    { title: i18n.t('col.merchant'), dataIndex: 'merchant' },
                    { title: i18n.t('col.region'), dataIndex: 'region', responsive: ['sm'] },
                    { title: i18n.t('col.model'), dataIndex: 'model', responsive: ['sm'] },
                    { title: i18n.t('col.carrier'), dataIndex: 'carrier', responsive: ['md'] },
                  ]} />
              </Card>
            </>
          );
        }}
      </Guard>
    </Space>
  );
}
