// Every migration, in order. Add a file NNN-name.ts and list it here; never edit one that has shipped.
import type { Migration } from 'kysely';
import * as m001 from './001-initial.js';
import * as m005 from './005-desk.js';

export const MIGRATIONS: Record<string, Migration> = {
  '001-initial': m001,
  '005-desk': m005,
};
