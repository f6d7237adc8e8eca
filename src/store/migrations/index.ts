// Every migration, in order. Add a new one as `NNNN_<subject>.ts` and list it here;
// never edit one that has shipped.
import type { Migration } from 'kysely';
import * as foundation from './0001_foundation.ts';
import * as auth from './0002_auth.ts';

export const MIGRATIONS: Record<string, Migration> = {
  '0001_foundation': foundation,
  '0002_auth': auth,
};
