/**
 * The one typed config. Loading and validation (file + env) live here; every other module
 * receives already-validated values.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { HASH_COST } from './auth/secret-hash';
import type { BackendKind } from './domain/channel';

export interface AriBackendConfig {
  name: string;
  kind: 'ari';
  /** e.g. http://127.0.0.1:8088/ari */
  url: string;
  username: string;
  password: string;
  /** Stasis application whose /ari/events socket the gateway holds. */
  app: string;
  /** Per-request timeout for REST calls. */
  requestTimeoutMs: number;
}

export interface KazooCredentials {
  username: string;
  password: string;
  accountName: string;
}

export interface KazooBackendConfig {
  name: string;
  kind: 'kazoo';
  /** Crossbar base, e.g. http://127.0.0.1:8000/v2 */
  url: string;
  apiKey?: string;
  credentials?: KazooCredentials;
  /** The account the gateway acts for (32 hex). */
  accountId: string;
  /** Blackhole websocket, e.g. ws://127.0.0.1:5555 */
  blackholeUrl?: string;
  requestTimeoutMs: number;
}

export type BackendConfig = AriBackendConfig | KazooBackendConfig;

export interface GatewayConfig {
  port: number;
  host: string;
  database: { url?: string; dataDir: string };
  /** Redis shared by instances for the event bus; in-process when absent. `channel` must be unique per deployment sharing a Redis. */
  pubsub: { redisUrl?: string; channel?: string };
  /** How long the event journal keeps history. */
  events: { retention: { maxAgeMs?: number; maxEvents?: number } };
  /** Limits and introspection; defaultSecurity() when absent. */
  security?: SecurityConfig;
  /** Answers of live-view reads kept until the live view changes; maxEntries 0 turns it off. Defaults when absent. */
  responseCache?: { maxEntries: number; maxBytes: number };
  /** Browser origins allowed to call the API (CORS); none when absent. Demo mode: local origins. */
  cors?: CorsConfig;
  /** PATCHBAY_ADMIN_KEY: creates or refreshes an all-scope ADMIN key at start (env only, never in files). */
  adminKey?: string;
  backends: BackendConfig[];
  /**
   * Processes serving this one instance (src/cluster/): each owns its sockets, the port is
   * shared. parseConfig sets it (default: one per core); absent means 1, as callers of
   * startGateway building a config by hand get.
   */
  workers?: number;
  /** true when no config file was given: embedded simulators + call generator. */
  demo: boolean;
}

/**
 * `*` (any origin), or origins as `scheme://host[:port]`, where the port may be `*`
 * (`http://localhost:*`). Compared with the request's Origin header as sent.
 */
export interface CorsConfig {
  origins: '*' | string[];
}

/** Demo mode's default: pages served from this machine, on any port. */
export const LOCAL_ORIGINS: readonly string[] = ['http://localhost:*', 'http://127.0.0.1:*', 'http://[::1]:*'];

const ORIGIN_PATTERN = /^https?:\/\/(\[[0-9a-f:.]+\]|[A-Za-z0-9.-]+)(:(\d{1,5}|\*))?$/;

export interface SecurityConfig {
  /** Token bucket per API key (per address for requests without one). */
  rateLimit: { burst: number; perSecond: number };
  maxSubscriptionsPerConnection: number;
  maxConnectionsPerKey: number;
  /** Schema introspection (GraphiQL's docs); off by default when NODE_ENV=production. */
  introspection: boolean;
  /** Introspection-only documents (`__schema`, `__type`, `__typename`) answered without a key; default false. */
  publicIntrospection: boolean;
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
  /** scrypt cost of new API key hashes, log2 N (src/auth/secret-hash.ts); env PATCHBAY_KEY_HASH_COST. */
  keyHashCost: number;
}

export function defaultSecurity(env: Env = process.env): SecurityConfig {
  return {
    rateLimit: { burst: 200, perSecond: 100 },
    maxSubscriptionsPerConnection: 100,
    maxConnectionsPerKey: 50,
    introspection: env.NODE_ENV !== 'production',
    publicIntrospection: false,
    maxDepth: 12,
    maxAliases: 30,
    maxCost: 20_000,
    keyHashCost: keyHashCostFromEnv(env) ?? HASH_COST.default,
  };
}

/** PATCHBAY_KEY_HASH_COST when it is a valid cost; parseConfig reports an invalid one. */
function keyHashCostFromEnv(env: Env): number | undefined {
  return new Reader(env).envInt('PATCHBAY_KEY_HASH_COST', HASH_COST.min, HASH_COST.max);
}

export const BACKEND_KINDS: readonly BackendKind[] = ['ari', 'kazoo'];

const DEFAULT_PORT = 4000;
/** More processes than this would only compete for the same cores and database. */
const MAX_WORKERS = 64;
export const DEFAULT_RESPONSE_CACHE_ENTRIES = 1000;
export const DEFAULT_RESPONSE_CACHE_MEGABYTES = 64;
const DEFAULT_REQUEST_TIMEOUT_MS = 5000;
const DEFAULT_RETENTION_HOURS = 24 * 7;
const DEFAULT_RETENTION_EVENTS = 1_000_000;
const BACKEND_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,62}$/;

/** Thrown for any config problem; the message names the key and what was expected. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid config:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Collects problems instead of stopping at the first, so one run shows every mistake. */
class Reader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  fail(path: string, expected: string, got?: unknown): undefined {
    const shown = got === undefined ? 'nothing' : JSON.stringify(got);
    this.problems.push(`${path}: expected ${expected}, got ${shown}`);
    return undefined;
  }

  /** An env override: an integer in [min, max], undefined when unset (a problem when invalid). */
  envInt(name: string, min: number, max: number): number | undefined {
    const raw = this.env[name];
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (Number.isInteger(n) && n >= min && n <= max) return n;
    return this.fail(`env ${name}`, `an integer from ${min} to ${max}`, raw);
  }

  object(v: unknown, path: string): Record<string, unknown> | undefined {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
    return this.fail(path, 'an object', v);
  }

  string(o: Record<string, unknown>, key: string, path: string, required: boolean): string | undefined {
    const v = o[key];
    if (v === undefined && !required) return undefined;
    if (typeof v === 'string' && v.length > 0) return v;
    return this.fail(`${path}.${key}`, 'a non-empty string', v);
  }

  url(
    o: Record<string, unknown>,
    key: string,
    path: string,
    schemes: string[],
    required: boolean,
    allowCredentials = false,
  ): string | undefined {
    const v = this.string(o, key, path, required);
    if (v === undefined) return undefined;
    try {
      const u = new URL(v);
      if (!schemes.includes(u.protocol.replace(':', ''))) {
        return this.fail(`${path}.${key}`, `a ${schemes.join(' or ')} URL`, redactUrl(v));
      }
      if (!allowCredentials && (u.username || u.password)) {
        return this.fail(
          `${path}.${key}`,
          'a URL without credentials (use username/password keys or env)',
          redactUrl(v),
        );
      }
      return allowCredentials ? v : v.replace(/\/+$/, '');
    } catch {
      return this.fail(`${path}.${key}`, `a ${schemes.join(' or ')} URL`, redactUrl(v));
    }
  }

  int(o: Record<string, unknown>, key: string, path: string, min: number, max: number): number | undefined {
    const v = o[key];
    if (v === undefined) return undefined;
    if (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) return v;
    return this.fail(`${path}.${key}`, `an integer from ${min} to ${max}`, v);
  }

  bool(o: Record<string, unknown>, key: string, path: string): boolean | undefined {
    const v = o[key];
    if (v === undefined || typeof v === 'boolean') return v;
    return this.fail(`${path}.${key}`, 'true or false', v);
  }

  /** A secret from env (preferred), a file named by `<key>File`, or the config value itself. */
  secret(
    o: Record<string, unknown>,
    key: string,
    path: string,
    envName: string,
    required: boolean,
  ): string | undefined {
    const fromEnv = this.env[envName];
    if (fromEnv) return fromEnv;
    const fileKey = `${key}File`;
    if (o[fileKey] !== undefined) {
      const file = this.string(o, fileKey, path, true);
      if (file === undefined) return undefined;
      try {
        return readFileSync(file, 'utf8').trim();
      } catch (e) {
        return this.fail(
          `${path}.${fileKey}`,
          'a readable file',
          `${file} (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
        );
      }
    }
    if (o[key] === undefined && required) {
      this.problems.push(
        `${path}.${key}: expected a non-empty string (or ${path}.${fileKey}, or env ${envName}), got nothing`,
      );
      return undefined;
    }
    if (o[key] === undefined) return undefined;
    const v = o[key];
    if (typeof v === 'string' && v.length > 0) return v;
    this.problems.push(`${path}.${key}: expected a non-empty string`);
    return undefined;
  }

  unknownKeys(o: Record<string, unknown>, path: string, known: string[]): void {
    for (const k of Object.keys(o)) {
      if (!known.includes(k)) this.problems.push(`${path}.${k}: unknown key (expected one of ${known.join(', ')})`);
    }
  }
}

/** Env name for a backend secret: PATCHBAY_BACKEND_<NAME>_<KEY>, name upper-cased, '-' → '_'. */
export function backendSecretEnv(backendName: string, key: string): string {
  const n = backendName.toUpperCase().replace(/[^A-Z0-9]/g, '_');
  const k = key.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
  return `PATCHBAY_BACKEND_${n}_${k}`;
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (!u.password) return url;
    u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//***@');
  }
}

function readAriBackend(
  r: Reader,
  o: Record<string, unknown>,
  path: string,
  name: string,
): AriBackendConfig | undefined {
  r.unknownKeys(o, path, ['name', 'kind', 'url', 'username', 'password', 'passwordFile', 'app', 'requestTimeoutMs']);
  const url = r.url(o, 'url', path, ['http', 'https'], true);
  const username = r.string(o, 'username', path, true);
  const password = r.secret(o, 'password', path, backendSecretEnv(name, 'password'), true);
  const app = r.string(o, 'app', path, false) ?? 'patchbay';
  const requestTimeoutMs = r.int(o, 'requestTimeoutMs', path, 100, 120_000) ?? DEFAULT_REQUEST_TIMEOUT_MS;
  if (!url || !username || !password) return undefined;
  return { name, kind: 'ari', url, username, password, app, requestTimeoutMs };
}

function readKazooBackend(
  r: Reader,
  o: Record<string, unknown>,
  path: string,
  name: string,
): KazooBackendConfig | undefined {
  r.unknownKeys(o, path, [
    'name',
    'kind',
    'url',
    'apiKey',
    'apiKeyFile',
    'credentials',
    'accountId',
    'blackholeUrl',
    'requestTimeoutMs',
  ]);
  const url = r.url(o, 'url', path, ['http', 'https'], true);
  const accountId = r.string(o, 'accountId', path, true);
  if (accountId !== undefined && !/^[0-9a-f]{32}$/.test(accountId))
    r.fail(`${path}.accountId`, '32 lowercase hex characters', accountId);
  const blackholeUrl = r.url(o, 'blackholeUrl', path, ['ws', 'wss'], false);
  const requestTimeoutMs = r.int(o, 'requestTimeoutMs', path, 100, 120_000) ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const apiKey = r.secret(o, 'apiKey', path, backendSecretEnv(name, 'apiKey'), false);
  let credentials: KazooCredentials | undefined;
  if (o.credentials !== undefined) {
    const c = r.object(o.credentials, `${path}.credentials`);
    if (c) {
      const cp = `${path}.credentials`;
      r.unknownKeys(c, cp, ['username', 'password', 'passwordFile', 'accountName']);
      const username = r.string(c, 'username', cp, true);
      const password = r.secret(c, 'password', cp, backendSecretEnv(name, 'password'), true);
      const accountName = r.string(c, 'accountName', cp, true);
      if (username && password && accountName) credentials = { username, password, accountName };
    }
  }
  if (apiKey === undefined && o.credentials === undefined) {
    r.problems.push(
      `${path}: expected apiKey (or apiKeyFile, or env ${backendSecretEnv(name, 'apiKey')}) or credentials {username, password, accountName}`,
    );
  }
  if (!url || !accountId) return undefined;
  return { name, kind: 'kazoo', url, apiKey, credentials, accountId, blackholeUrl, requestTimeoutMs };
}

function readCors(r: Reader, v: unknown): CorsConfig | undefined {
  const c = r.object(v, 'config.cors');
  if (!c) return undefined;
  r.unknownKeys(c, 'config.cors', ['origins']);
  if (c.origins === '*') return { origins: '*' };
  const expected = '"*" or a list of origins like "https://app.example.com" or "http://localhost:*"';
  if (!Array.isArray(c.origins)) return r.fail('config.cors.origins', expected, c.origins);
  const bad = c.origins.filter((o) => typeof o !== 'string' || !ORIGIN_PATTERN.test(o));
  if (bad.length) return r.fail('config.cors.origins', expected, bad);
  return { origins: c.origins as string[] };
}

/**
 * Validates a parsed config document plus env overrides. Env: PORT, HOST, DATABASE_URL,
 * PATCHBAY_DATA_DIR, PATCHBAY_WORKERS and per-backend secrets (see backendSecretEnv).
 */
export function parseConfig(doc: unknown, env: Env = process.env, opts: { demo?: boolean } = {}): GatewayConfig {
  const r = new Reader(env);
  const root = r.object(doc, 'config') ?? {};
  r.unknownKeys(root, 'config', [
    'port',
    'host',
    'database',
    'pubsub',
    'events',
    'security',
    'responseCache',
    'cors',
    'workers',
    'backends',
  ]);

  // The file's values are read (and checked) first; an env override wins over them.
  const filePort = r.int(root, 'port', 'config', 0, 65535);
  const port = r.envInt('PORT', 0, 65535) ?? filePort ?? DEFAULT_PORT;
  const host = env.HOST ?? r.string(root, 'host', 'config', false) ?? '0.0.0.0';
  // The demo is one process unless asked: a first look should start fast and stay small.
  const fileWorkers = r.int(root, 'workers', 'config', 1, MAX_WORKERS);
  const workers =
    r.envInt('PATCHBAY_WORKERS', 1, MAX_WORKERS) ?? fileWorkers ?? (opts.demo ? 1 : availableParallelism());

  const database: GatewayConfig['database'] = { dataDir: resolve(env.PATCHBAY_DATA_DIR ?? 'data') };
  if (root.database !== undefined) {
    const d = r.object(root.database, 'config.database');
    if (d) {
      r.unknownKeys(d, 'config.database', ['url', 'dataDir']);
      database.url = r.url(d, 'url', 'config.database', ['postgres', 'postgresql'], false, true);
      const dataDir = r.string(d, 'dataDir', 'config.database', false);
      if (dataDir) database.dataDir = resolve(dataDir);
    }
  }
  if (env.DATABASE_URL) database.url = env.DATABASE_URL;

  const pubsub: GatewayConfig['pubsub'] = {};
  if (root.pubsub !== undefined) {
    const p = r.object(root.pubsub, 'config.pubsub');
    if (p) {
      r.unknownKeys(p, 'config.pubsub', ['redis', 'channel']);
      pubsub.redisUrl = r.url(p, 'redis', 'config.pubsub', ['redis', 'rediss'], false, true);
      pubsub.channel = r.string(p, 'channel', 'config.pubsub', false);
    }
  }
  if (env.REDIS_URL) pubsub.redisUrl = env.REDIS_URL;
  if (env.PATCHBAY_PUBSUB_CHANNEL) pubsub.channel = env.PATCHBAY_PUBSUB_CHANNEL;

  const events: GatewayConfig['events'] = {
    retention: { maxAgeMs: DEFAULT_RETENTION_HOURS * 3_600_000, maxEvents: DEFAULT_RETENTION_EVENTS },
  };
  if (root.events !== undefined) {
    const ev = r.object(root.events, 'config.events');
    const ret = ev && ev.retention !== undefined ? r.object(ev.retention, 'config.events.retention') : undefined;
    if (ev) r.unknownKeys(ev, 'config.events', ['retention']);
    if (ret) {
      r.unknownKeys(ret, 'config.events.retention', ['maxAgeHours', 'maxEvents']);
      const hours = r.int(ret, 'maxAgeHours', 'config.events.retention', 1, 24 * 365);
      const max = r.int(ret, 'maxEvents', 'config.events.retention', 1000, 1_000_000_000);
      if (hours !== undefined) events.retention.maxAgeMs = hours * 3_600_000;
      if (max !== undefined) events.retention.maxEvents = max;
    }
  }

  const security = defaultSecurity(env);
  if (root.security !== undefined) {
    const sec = r.object(root.security, 'config.security');
    if (sec) {
      const path = 'config.security';
      r.unknownKeys(sec, path, [
        'rateLimit',
        'maxSubscriptionsPerConnection',
        'maxConnectionsPerKey',
        'introspection',
        'publicIntrospection',
        'maxDepth',
        'maxAliases',
        'maxCost',
        'keyHashCost',
      ]);
      if (sec.rateLimit !== undefined) {
        const rl = r.object(sec.rateLimit, `${path}.rateLimit`);
        if (rl) {
          r.unknownKeys(rl, `${path}.rateLimit`, ['burst', 'perSecond']);
          security.rateLimit.burst = r.int(rl, 'burst', `${path}.rateLimit`, 1, 1_000_000) ?? security.rateLimit.burst;
          security.rateLimit.perSecond =
            r.int(rl, 'perSecond', `${path}.rateLimit`, 1, 1_000_000) ?? security.rateLimit.perSecond;
        }
      }
      security.maxSubscriptionsPerConnection =
        r.int(sec, 'maxSubscriptionsPerConnection', path, 1, 100_000) ?? security.maxSubscriptionsPerConnection;
      security.maxConnectionsPerKey =
        r.int(sec, 'maxConnectionsPerKey', path, 1, 1_000_000) ?? security.maxConnectionsPerKey;
      security.maxDepth = r.int(sec, 'maxDepth', path, 2, 100) ?? security.maxDepth;
      security.maxAliases = r.int(sec, 'maxAliases', path, 1, 10_000) ?? security.maxAliases;
      security.maxCost = r.int(sec, 'maxCost', path, 10, 10_000_000) ?? security.maxCost;
      security.keyHashCost = r.int(sec, 'keyHashCost', path, HASH_COST.min, HASH_COST.max) ?? security.keyHashCost;
      security.introspection = r.bool(sec, 'introspection', path) ?? security.introspection;
      security.publicIntrospection = r.bool(sec, 'publicIntrospection', path) ?? security.publicIntrospection;
    }
  }

  // The env value wins over the file, like PATCHBAY_WORKERS.
  security.keyHashCost = r.envInt('PATCHBAY_KEY_HASH_COST', HASH_COST.min, HASH_COST.max) ?? security.keyHashCost;

  let responseCache: GatewayConfig['responseCache'];
  if (root.responseCache !== undefined) {
    const rc = r.object(root.responseCache, 'config.responseCache');
    if (rc) {
      r.unknownKeys(rc, 'config.responseCache', ['maxEntries', 'maxMegabytes']);
      const maxEntries =
        r.int(rc, 'maxEntries', 'config.responseCache', 0, 1_000_000) ?? DEFAULT_RESPONSE_CACHE_ENTRIES;
      const megabytes =
        r.int(rc, 'maxMegabytes', 'config.responseCache', 1, 65_536) ?? DEFAULT_RESPONSE_CACHE_MEGABYTES;
      responseCache = { maxEntries, maxBytes: megabytes * 1024 * 1024 };
    }
  }

  const cors =
    root.cors === undefined ? (opts.demo ? { origins: [...LOCAL_ORIGINS] } : undefined) : readCors(r, root.cors);

  const backends: BackendConfig[] = [];
  const list = root.backends ?? [];
  if (!Array.isArray(list)) r.fail('config.backends', 'an array of backends', list);
  else {
    const seen = new Set<string>();
    list.forEach((item, i) => {
      const path = `config.backends[${i}]`;
      const o = r.object(item, path);
      if (!o) return;
      const name = r.string(o, 'name', path, true);
      if (name === undefined) return;
      if (!BACKEND_NAME.test(name)) {
        r.fail(
          `${path}.name`,
          'letters, digits, "_" or "-", starting with a letter (no ":"; it prefixes global ids)',
          name,
        );
        return;
      }
      if (seen.has(name)) r.problems.push(`${path}.name: duplicate backend name "${name}"`);
      seen.add(name);
      const b =
        o.kind === 'ari'
          ? readAriBackend(r, o, path, name)
          : o.kind === 'kazoo'
            ? readKazooBackend(r, o, path, name)
            : r.fail(`${path}.kind`, `one of ${BACKEND_KINDS.map((k) => `"${k}"`).join(', ')}`, o.kind);
      if (b) backends.push(b);
    });
  }

  if (r.problems.length) throw new ConfigError(r.problems);
  const adminKey = env.PATCHBAY_ADMIN_KEY || undefined;
  if (adminKey !== undefined && adminKey.length < 32)
    r.problems.push('env PATCHBAY_ADMIN_KEY: expected at least 32 characters');
  if (r.problems.length) throw new ConfigError(r.problems);
  return {
    port,
    host,
    database,
    pubsub,
    events,
    security,
    responseCache,
    cors,
    adminKey,
    backends,
    workers,
    demo: opts.demo ?? false,
  };
}

/** Reads a YAML or JSON file (JSON is valid YAML, but JSON files get JSON's clearer errors). */
export function loadConfigFile(file: string, env: Env = process.env): GatewayConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError([`--config ${file}: cannot read file (${(e as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  let doc: unknown;
  try {
    doc = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new ConfigError([
      `--config ${file}: not valid ${file.endsWith('.json') ? 'JSON' : 'YAML/JSON'} (${(e as Error).message})`,
    ]);
  }
  return parseConfig(doc, env);
}
