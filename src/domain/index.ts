export * from './event.ts';
export * from './validate.ts';
export { scanEvent, scanEventTokens, TOKEN_CLOSE, TOKEN_OPEN, type ScanField, type ScannedEvent } from './validate.fast.ts';
export * from './pan.ts';
export * from './causes.ts';
export * from './diagnosis.ts';
export * from './registry.ts';
export * from './errors.ts';
export * from './version.ts';
