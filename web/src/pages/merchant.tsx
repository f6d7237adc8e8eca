// The merchant's page: only this merchant's terminals, each a plain card — works, or what is wrong and
// what to do now, step by step. No codes, no jargon.

import { Card, Col, Empty, Result, Row, Space, Typography } from 'antd';
import { Guard } from '../components/load-error.tsx';
import { useI18n } from '../i18n/index.tsx';
import { useSession } from '../session.tsx';
import type { TerminalRow } from '../types.ts';
import { useApi } from '../use-api.ts';

function TerminalCard({ row }: { row: TerminalRow }) {
  const i18n = useI18n();
  const text = row.cause ? i18n.merchantText(row.cause) : undefined;
  const works = row.status === 'ok' || !text;
  return (
    <Card size="small" data-testid="merchant-card" data-terminal={row.terminal}
      title={<Space wrap><Typography.Text strong>{row.terminal}</Typography.Text><Typography.Text type="secondary">{row.model}</Typography.Text></Space>}
      style={{ height: '100%' }} styles={{ header: { background: works ? '#f6ffed' : '#fff2f0' } }}>
      {works ? (
        <Result status="success" title={i18n.t('merchant.works')} subTitle={i18n.t('merchant.worksText')} style={{ padding: 8 }} />
      ) : (
        <>
          <Typography.Title level={5} type="danger" style={{ marginTop: 0 }}>{i18n.t('merchant.whatWrong')}</Typography.Title>
          <Typography.Paragraph data-testid="merchant-problem" style={{ fontSize: 16 }}>{text.problem}</Typography.Paragraph>
          <Typography.Title level={5}>{i18n.t('merchant.whatToDo')}</Typography.Title>
          <ol className="merchant-steps" data-testid="merchant-steps">{text.steps.map((s, i) => <li key={i}>{s}</li>)}</ol>
        </>
      )}
    </Card>
  );
}

export default function Merchant() {
  const i18n = useI18n();
  const { me } = useSession();
  const loaded = useApi<{ total: number; rows: TerminalRow[] }>('/api/v1/terminals?limit=500&sort=severity');
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="merchant">
      <Typography.Title level={4} style={{ margin: 0 }}>
        {me?.merchantName || me?.merchant ? i18n.t('merchant.hello', { name: me.merchantName ?? me.merchant ?? '' }) : i18n.t('merchant.title')}
      </Typography.Title>
      <Guard loaded={loaded}>
        {(data) => data.rows.length === 0 ? <Empty description={i18n.t('merchant.none')} /> : (
          <Row gutter={[12, 12]}>
            {data.rows.map((r) => <Col xs={24} md={12} xl={8} key={r.terminal}><TerminalCard row={r} /></Col>)}
          </Row>
        )}
      </Guard>
    </Space>
  );
}
