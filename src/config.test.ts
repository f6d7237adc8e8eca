import assert from 'node:assert/strict';
import { test } from 'node:test';
import { configTableMarkdown, readConfig } from './config.ts';
import { isPosopsError } from './domain/index.ts';

test('readConfig() gives the defaults with an empty environment', () => {
  const config = readConfig({}, {});
  assert.equal(config.port, 8080);
  assert.equal(config.host, '127.0.0.1');
  assert.equal(config.mqttPort, 1884);
  assert.equal(config.maxBodyBytes, 10 * 1024 * 1024);
  assert.equal(config.auth, 'token');
  assert.equal(config.databaseUrl, undefined);
  assert.ok(Object.isFrozen(config));
});

test('readConfig(): a flag wins over the environment, which wins over the default', () => {
  const config = readConfig({ port: '9001' }, { POSOPS_PORT: '9000', POSOPS_DATA: '/tmp/x', MQTT_URL: 'mqtt://127.0.0.1:1883' });
  assert.equal(config.port, 9001);
  assert.equal(config.data, '/tmp/x');
  assert.equal(config.mqttUrl, 'mqtt://127.0.0.1:1883');
});

test('readConfig() lists every bad variable and flag in one CONFIG_INVALID error', () => {
  assert.throws(
    () => readConfig({ mqttPort: 'x' }, { POSOPS_PORT: '70000', POSOPS_LOG_LEVEL: 'loud', DATABASE_URL: 'not a url', POSOPS_AUTH: 'maybe' }),
    (err: unknown) => {
      assert.ok(isPosopsError(err, 'CONFIG_INVALID'));
      assert.match(err.message, /environment variable POSOPS_PORT="70000" must be a port number/);
      assert.match(err.message, /flag --mqtt-port="x" must be a port number/);
      assert.match(err.message, /POSOPS_LOG_LEVEL="loud" must be one of fatal, error/);
      assert.match(err.message, /DATABASE_URL="not a url" must be a URL/);
      assert.match(err.message, /POSOPS_AUTH="maybe" must be one of token, off/);
      return true;
    },
  );
});

test('readConfig() refuses --mqtt-port together with --mqtt-url', () => {
  assert.throws(() => readConfig({ mqttPort: '1999', mqttUrl: 'mqtt://127.0.0.1:1883' }, {}), /exclude each other/);
});

test('configTableMarkdown() has a row per setting with its variable and default', () => {
  const table = configTableMarkdown();
  assert.match(table, /\| `--port` \| `POSOPS_PORT` \| `8080` \|/);
  assert.match(table, /\| `--mqtt-port` \| `POSOPS_MQTT_PORT` \| `1884` \|/);
  assert.match(table, /\| `--database-url` \| `DATABASE_URL` \| — \|/);
});
