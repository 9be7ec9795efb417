// What the web app is given: the store, the configured digests and topics, optional auth and the request guards'
// settings. No globals.
import type { Hono } from 'hono';
import type { Kysely } from 'kysely';
import type { Logger } from '../log.js';
import type { DigestConfig } from '../digest/config.js';
import type { Database } from '../store/schema.js';
import type { AuthThrottle } from './throttle.js';

export interface WebAuth {
  basic?: { user: string; password: string };
  /** Bearer token (Authorization: Bearer …). */
  token?: string;
}

export interface WebDeps {
  db: Kysely<Database>;
  digests: DigestConfig[];
  topics: { id: string; title: string }[];
  /** Public base URL (Atom self links); else the request's origin. */
  baseUrl?: string;
  auth?: WebAuth;
  /** Paths reachable without auth (default /healthz and /readyz, for probes). */
  publicPaths?: string[];
  /** Host names served (DNS-rebinding guard); default loopback names and baseUrl's host. "*" = any. */
  allowedHosts?: string[];
  /** Failed-auth throttle; none = unthrottled. */
  authThrottle?: AuthThrottle;
  log?: Logger;
}

/** A route module: registers its routes on the app (the ops routes join the same way, as createWebApp's `extra`). */
export type RouteModule = (app: Hono, deps: WebDeps) => void;
