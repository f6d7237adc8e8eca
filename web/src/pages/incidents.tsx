// Incidents: one cause shared by many terminals; open first, newest first.

import { useNavigate } from 'react-router-dom';
import { Card, Table, Tag } from 'antd';
import { Guard } from '../components/load-error.tsx';
import { useI18n } from '../i18n/index.tsx';
import { useSession } from '../session.tsx';
import type { IncidentSummary } from '../types.ts';
import { useApi } from '../use-api.ts';
import { scopeText } from '../components/scope.ts';

export default function Incidents() {
  const i18n = useI18n();
  const session = useSession();
  const navigate = useNavigate();
  const loaded = useApi<{ incidents: IncidentSummary[] }>('/api/v1/dashboard/incidents');
  return (
    <Card size="small" title={i18n.t('incidents.title')} data-testid="incidents">
      <Guard loaded={loaded}>
        {(data) => (
          <Table<IncidentSummary> size="small" rowKey="id" dataSource={data.incidents} pagination={{ pageSize: 50, hideOnSinglePage: true }}
            locale={{ emptyText: i18n.t('incidents.none') }}
            onRow={(r) => ({ onClick: () => navigate(`/incidents/${r.id}`), style: { cursor: 'pointer' } })}
            columns={[
              { title: i18n.t('col.open'), dataIndex: 'open', render: (o: boolean) => <Tag color={o ? 'red' : 'default'}>{o ? i18n.t('incidents.open') : i18n.t('incidents.closed')}</Tag> },
              { title: i18n.t('col.cause'), dataIndex: 'cause', render: (c: string) => session.causeName(c) },
              { title: i18n.t('col.scope'), dataIndex: 'scope', ellipsis: true, render: (s: IncidentSummary['scope']) => scopeText(s) },
              { title: i18n.t('col.count'), dataIndex: 'count', render: (n: number) => i18n.num(n) },
              { title: i18n.t('col.since'), dataIndex: 'since', responsive: ['md'], render: (s: string) => i18n.dateTime(s) },
            ]} />
        )}
      </Guard>
    </Card>
  );
}
