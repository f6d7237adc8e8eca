// The HTTP server: build (createApp, for tests with inject) versus start (startServer, listeners).
export { createApp, type AppDeps } from './app.ts';
export { startServer, type RunningServer, type StartOptions } from './runtime.ts';
export type { ServerEvents, ServerEventMap, IncidentChange } from './diagnosis.recorder.ts';
export {
  authPreHandler,
  createOpenAuthenticator,
  createTokenAuthenticator,
  newSecret,
  terminalSecret,
  type Authenticator,
  type Credentials,
  type Principal,
} from './auth-hook.ts';
export { createMetrics, type ServerMetrics } from './metrics.ts';
