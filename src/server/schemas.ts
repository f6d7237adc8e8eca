// JSON schemas shared by the routes (response shapes of spec/causes.md and the error envelope).
// Objects allow additional properties so that nothing the engine adds is stripped from answers.

export const errorSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: { code: { type: 'string' }, message: { type: 'string' } },
    },
  },
} as const;

export const diagnosisSchema = {
  type: 'object',
  additionalProperties: true,
  properties: {
    cause: { type: 'string' },
    confidence: { type: 'number' },
    since: { type: 'string' },
    evidence: { type: 'array', items: { type: 'string' } },
    evidence_zh: { type: 'array', items: { type: 'string' } },
    remedy: { type: 'array', items: { type: 'string' } },
    remedy_zh: { type: 'array', items: { type: 'string' } },
    incident: { type: 'string' },
  },
} as const;

export const terminalDiagnosisSchema = {
  type: 'object',
  additionalProperties: true,
  properties: {
    terminal: { type: 'string' },
    status: { type: 'string', enum: ['ok', 'degraded', 'faulty', 'offline', 'locked'] },
    diagnoses: { type: 'array', items: diagnosisSchema },
    registry: { type: 'object', additionalProperties: true },
  },
} as const;

export const incidentSchema = {
  type: 'object',
  additionalProperties: true,
  properties: {
    id: { type: 'string' },
    cause: { type: 'string' },
    scope: { type: 'object', additionalProperties: true },
    terminals: { type: 'array', items: { type: 'string' } },
    since: { type: 'string' },
    evidence: { type: 'array', items: { type: 'string' } },
    evidence_zh: { type: 'array', items: { type: 'string' } },
  },
} as const;

export const reportSchema = {
  type: 'object',
  additionalProperties: true,
  properties: {
    at: { type: 'string' },
    terminals: { type: 'array', items: terminalDiagnosisSchema },
    incidents: { type: 'array', items: incidentSchema },
  },
} as const;
