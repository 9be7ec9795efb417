// Every migration, in order. Add a file NNN-name.ts and list it here; never edit one that has shipped.
import type { Migration } from 'kysely';
import * as m001 from './001-initial.js';
import * as m002 from './002-digest-cuts.js';
import * as m003 from './003-feed-fairness.js';
import * as m004 from './004-possible-matches.js';
import * as m005 from './005-desk.js';
import * as m006 from './006-stories.js';
import * as m007 from './007-alerts.js';

export const MIGRATIONS: Record<string, Migration> = {
  '001-initial': m001,
  '002-digest-cuts': m002,
  '003-feed-fairness': m003,
  '004-possible-matches': m004,
  '005-desk': m005,
  '006-stories': m006,
  '007-alerts': m007,
};
