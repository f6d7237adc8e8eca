// The store: PostgreSQL (embedded PGlite or a server), one schema, versioned migrations.
// Other folders import only from here.
export { openStore, pingStore, analyzeStore, migrate, type Store, type StoreOptions } from './store.ts';
export type { Database } from './database.ts';
export {
  upsertRegistry,
  loadRegistry,
  findTerminal,
  listRegistryTerminals,
  listMerchants,
  listModels,
  listMaintenanceWindows,
  type RegistryCounts,
} from './registry.repository.ts';
export {
  upsertTerminalStates,
  listTerminalStates,
  findTerminalState,
  countTerminalStatesByStatus,
  countTerminalStatesByCause,
  listDiagnosedTerminals,
  TERMINAL_SORTS,
  type TerminalStateRow,
  type TerminalStateWrite,
  type TerminalStateQuery,
  type TerminalSort,
} from './terminal-state.repository.ts';
export { saveDiagnosisChanges, listDiagnosisHistory, type DiagnosisChange, type DiagnosisHistoryRow, type DiagnosisHistoryQuery } from './diagnosis-history.repository.ts';
export {
  upsertIncidents,
  resolveIncidents,
  listIncidents,
  findIncident,
  saveIncidentChanges,
  listIncidentHistory,
  type IncidentRow,
  type IncidentWrite,
  type IncidentChange,
  type IncidentHistoryRow,
  type IncidentQuery,
} from './incident.repository.ts';
export { getKv, setKv, deleteKv } from './kv.repository.ts';
