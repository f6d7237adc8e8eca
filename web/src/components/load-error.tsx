import { Alert, Button, Spin } from 'antd';
import type { ReactNode } from 'react';
import { useI18n } from '../i18n/index.tsx';
import type { Loaded } from '../use-api.ts';

/** Spinner while the first load runs, an error with a retry button, else the children. */
export function Guard<T>({ loaded, children }: { loaded: Loaded<T>; children: (data: T) => ReactNode }) {
  const { t } = useI18n();
  if (loaded.data !== undefined) return <>{children(loaded.data)}</>;
  if (loaded.error)
    return (
      <Alert type="error" showIcon title={t('error.load', { message: loaded.error.message })}
        action={<Button size="small" onClick={loaded.reload}>{t('error.retry')}</Button>} />
    );
  return <Spin style={{ display: 'block', margin: '48px auto' }} />;
}
