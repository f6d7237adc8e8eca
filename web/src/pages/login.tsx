// Login: POST /api/v1/auth/login → token, kept in localStorage and sent as Authorization: Bearer.
// A one-time password (the first admin's, a reset) allows nothing but setting an own password:
// the page asks for one, sets it (POST /api/v1/auth/password) and logs in with it.

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
  /** Logged in with a one-time password: the user and that session, until an own password is set. */
  const [oneTime, setOneTime] = useState<{ username: string; token: string }>();

  const enter = (token: string) => {
    session.login(token);
    const from = (location.state as { from?: string } | null)?.from;
    navigate(from && from !== '/login' ? from : '/', { replace: true });
  };

  const submit = async (values: { username: string; password: string }) => {
    setBusy(true);
    setError(undefined);
    try {
      const r = await api<{ token: string; must_change_password?: boolean }>('/api/v1/auth/login', { method: 'POST', body: JSON.stringify(values) });
      if (r.must_change_password) setOneTime({ username: values.username, token: r.token });
      else enter(r.token);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const setOwnPassword = async (values: { password: string }) => {
    if (!oneTime) return;
    setBusy(true);
    setError(undefined);
    try {
      await api('/api/v1/auth/password', { method: 'POST', body: JSON.stringify({ password: values.password }), headers: { authorization: `Bearer ${oneTime.token}` } });
      // setting it ended every session of the user: log in with the new password
      const { token } = await api<{ token: string }>('/api/v1/auth/login', { method: 'POST', body: JSON.stringify({ username: oneTime.username, password: values.password }) });
      setOneTime(undefined);
      enter(token);
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
  const ownPasswordForm = (
    <Form layout="vertical" onFinish={setOwnPassword} requiredMark={false}>
      <Alert type="info" showIcon title={t('login.oneTimeHint')} style={{ marginBottom: 16 }} />
      <Form.Item label={t('login.newPassword')} name="password" rules={[{ required: true, min: 10, message: t('login.required', { field: t('login.newPassword') }) }]}>
        <Input.Password autoComplete="new-password" data-testid="login-new-password" />
      </Form.Item>
      <Form.Item label={t('login.confirmPassword')} name="confirm" dependencies={['password']} rules={[
        { required: true, message: t('login.required', { field: t('login.confirmPassword') }) },
        ({ getFieldValue }) => ({ validator: (_, v) => (v === getFieldValue('password') ? Promise.resolve() : Promise.reject(new Error(t('login.passwordsDiffer')))) }),
      ]}>
        <Input.Password autoComplete="new-password" data-testid="login-confirm-password" />
      </Form.Item>
      <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-set-password">{t('login.setAndContinue')}</Button>
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
        {oneTime ? (
          <>
            <h3 style={{ marginTop: 0 }}>{t('login.setPassword')}</h3>
            {ownPasswordForm}
          </>
        ) : (
          <Tabs size="small" onChange={() => setError(undefined)} items={[
            { key: 'password', label: t('login.withPassword'), children: passwordForm },
            { key: 'token', label: t('login.withToken'), children: tokenForm },
          ]} />
        )}
      </Card>
    </div>
  );
}
