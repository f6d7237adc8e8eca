// Login: POST /api/v1/auth/login → token, kept in localStorage and sent as Authorization: Bearer.

import { useState } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { Alert, Button, Card, Form, Input, Tabs } from 'antd';
import { api } from '../api.ts';
import { useI18n } from '../i18n/index.tsx';
import { useSession } from '../session.tsx';

export default function Login() {
  const { t, locale, setLocale } = useI18n();
  const session = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (values: { username: string; password: string }) => {
    setBusy(true);
    setError(undefined);
    try {
      const { token } = await api<{ token: string }>('/api/v1/auth/login', { method: 'POST', body: JSON.stringify(values) });
      session.login(token);
      const from = (location.state as { from?: string } | null)?.from;
      navigate(from && from !== '/login' ? from : '/', { replace: true });
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const useToken = async (values: { token: string }) => {
    setBusy(true);
    setError(undefined);
    try {
      const token = values.token.trim();
      await api('/api/v1/dashboard/me', { headers: { authorization: `Bearer ${token}` } });
      session.login(token);
      navigate('/', { replace: true });
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const passwordForm = (
    <Form layout="vertical" onFinish={submit} requiredMark={false}>
      <Form.Item label={t('login.username')} name="username" rules={[{ required: true, message: t('login.required', { field: t('login.username') }) }]}>
        <Input autoComplete="username" data-testid="login-username" />
      </Form.Item>
      <Form.Item label={t('login.password')} name="password" rules={[{ required: true, message: t('login.required', { field: t('login.password') }) }]}>
        <Input.Password autoComplete="current-password" data-testid="login-password" />
      </Form.Item>
      <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">{t('login.submit')}</Button>
    </Form>
  );
  const tokenForm = (
    <Form layout="vertical" onFinish={useToken} requiredMark={false}>
      <Form.Item label={t('login.token')} name="token" extra={t('login.tokenHint')} rules={[{ required: true, message: t('login.required', { field: t('login.token') }) }]}>
        <Input.Password autoComplete="off" data-testid="login-token" />
      </Form.Item>
      <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-token-submit">{t('login.submit')}</Button>
    </Form>
  );

  return (
    <div style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', padding: 16, boxSizing: 'border-box' }}>
      <Card title={t('app.title')} style={{ width: 380, maxWidth: '100%' }}
        extra={<Button size="small" data-testid="lang-switch" onClick={() => setLocale(locale === 'en' ? 'zh-CN' : 'en')}>{t('lang.switch')}</Button>}>
        {error && <Alert type="error" showIcon title={t('login.failed', { message: error })} style={{ marginBottom: 16 }} data-testid="login-error" />}
        <Tabs size="small" onChange={() => setError(undefined)} items={[
          { key: 'password', label: t('login.withPassword'), children: passwordForm },
          { key: 'token', label: t('login.withToken'), children: tokenForm },
        ]} />
      </Card>
    </div>
  );
}
