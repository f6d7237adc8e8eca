import { Tag } from 'antd';
import { useI18n } from '../i18n/index.tsx';
import type { Status } from '../types.ts';

const COLORS: Record<Status, string> = { ok: 'success', degraded: 'warning', faulty: 'error', offline: 'default', locked: 'purple' };

export function StatusTag({ status }: { status: Status | undefined }) {
  const { t } = useI18n();
  if (!status) return null;
  return (
    <Tag color={COLORS[status]} data-status={status}>
      {t(`status.${status}`)}
    </Tag>
  );
}
