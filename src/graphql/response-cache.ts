/**
 * Repeated reads of the live view answered from memory. A wall of dashboards polls the same
 * `channels` document many times between two events; executing it each time costs far more than
 * the backend round trip the live view already saved. The answer of such a query is a function
 * of the document, its variables, what the caller may see, and the live view's contents, so it
 * is kept (as the bytes sent) until the live view of any backend changes.
 *
 * What may be kept is decided twice. Statically, by the document: only fields whose value comes
 * from the live view (or from static config) qualify — see CACHEABLE_FIELDS. Dynamically, by the
 * execution: no backend request, no error, and the live view unchanged from start to end.
 *
 * The live view's version is the identity of the map each backend's ingest hands out: ingest
 * drops that map on every event, replace and health change, and returns null while the view
 * cannot be trusted (not leader, disconnected, reconciling). An entry holds the maps it was
 * computed from and is valid while every backend still hands out the same one.
 */
import { gzipSync } from 'node:zlib';
import { LRUCache } from 'lru-cache';
import { Kind, parse, TypeInfo, visit, visitWithTypeInfo, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { Principal } from '../auth/principal';
import { DEFAULT_RESPONSE_CACHE_ENTRIES, DEFAULT_RESPONSE_CACHE_MEGABYTES } from '../config';
import type { Channel } from '../domain/channel';

/**
 * Field coordinates a cached answer may contain. Everything else (RTP statistics, variables, a
 * backend's health and ingest counters, history, sessions, audit) changes without the live view
 * changing, or comes from a backend, and keeps the document out of the cache.
 * `response-cache.test.ts` requires every Channel field to be classified here or in
 * UNCACHEABLE_CHANNEL_FIELDS, so a new field cannot slip in unexamined.
 */
export const CACHEABLE_FIELDS: ReadonlySet<string> = new Set([
  'Query.channels',
  'Query.channel',
  ...[
    'id',
    'nativeId',
    'name',
    'state',
    'rawState',
    'caller',
    'connected',
    'accountCode',
    'dialplan',
    'createdAt',
    'language',
    'protocolId',
    'reportedVariables',
    'backend',
    'capabilities',
    // KAZOO fields: from the call's snapshot; otherLeg through the channel loader (live view, or a counted backend request).
    'accountId',
    'direction',
    'answered',
    'ownerId',
    'authorizingId',
    'authorizingType',
    'presenceId',
    'destination',
    'username',
    'callee',
    'otherLeg',
  ].map((f) => `Channel.${f}`),
  'CallerId.name',
  'CallerId.number',
  ...['context', 'exten', 'priority', 'appName', 'appData'].map((f) => `DialplanLocation.${f}`),
  // From config: fixed for the process's life.
  'Backend.id',
  'Backend.name',
  'Backend.kind',
  'Backend.url',
]);

/** Channel fields read from the backend on each request (or only meaningful on mutations' results). */
export const UNCACHEABLE_CHANNEL_FIELDS: ReadonlySet<string> = new Set([
  'variable',
  'variables',
  'rtpStats',
  'quality',
]);

/** The live view of every backend at one moment: the maps ingest handed out (null = not trusted). */
export type LiveViewVersion = ReadonlyArray<ReadonlyMap<string, Channel> | null>;

export interface CachedAnswer {
  status: number;
  headers: Readonly<Record<string, string>>;
  body: Buffer;
  /** The body gzipped, made on the first hit that accepts gzip (most clients: browsers always do). */
  gzipped?: Buffer;
  operationName: string | null;
  /** Validator of the answer's bytes (src/http/etag.ts), for If-None-Match. */
  etag: string;
  version: LiveViewVersion;
}

/** Below this a gzip member's overhead and the CPU are not worth it. */
const MIN_GZIP_BYTES = 1024;

/**
 * The body to send for a client's Accept-Encoding: gzipped once per kept answer and reused by
 * every later hit, so a dashboard wall costs one compression per live view change.
 */
export function encodedBody(
  answer: CachedAnswer,
  acceptEncoding: string | undefined,
): { body: Buffer; encoding: 'gzip' | null } {
  if (answer.body.length < MIN_GZIP_BYTES || !acceptsGzip(acceptEncoding)) return { body: answer.body, encoding: null };
  answer.gzipped ??= gzipSync(answer.body, { level: 6 });
  return { body: answer.gzipped, encoding: 'gzip' };
}

/** gzip listed in Accept-Encoding (or *) with a non-zero quality. */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  for (const part of header.split(',')) {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding !== 'gzip' && coding !== 'x-gzip' && coding !== '*') continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  }
  return false;
}

export interface ResponseCacheOptions {
  /** The live view of a backend now (the same function the loaders read). */
  live(backend: string): ReadonlyMap<string, Channel> | null;
  /** Names of every configured backend, in a fixed order. */
  backends(): readonly string[];
  schema: GraphQLSchema;
  /** 0 turns the cache off. */
  maxEntries: number;
  maxBytes: number;
}

/** The parts of a GraphQL request (POST body or GET query string) that decide its answer. */
export interface RequestParts {
  query: string;
  operationName: string | null;
  variables: unknown;
}

/**
 * The parts of a POST body the cache understands, or null (no query text, automatic persisted
 * queries or other extensions, odd shapes): those requests always run.
 */
export function requestPartsOf(body: unknown): RequestParts | null {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return null;
  const { query, operationName, variables, extensions } = body as Record<string, unknown>;
  if (typeof query !== 'string' || extensions !== undefined) return null;
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') return null;
  if (variables !== undefined && variables !== null && (typeof variables !== 'object' || Array.isArray(variables)))
    return null;
  return { query, operationName: operationName ?? null, variables };
}

/** The same for a GET query string (`?query=...&variables=<JSON>&operationName=...`). */
export function requestPartsOfSearch(params: URLSearchParams): RequestParts | null {
  const query = params.get('query');
  if (query === null || params.has('extensions')) return null;
  const text = params.get('variables');
  let variables: unknown;
  try {
    variables = text === null || text === '' ? undefined : JSON.parse(text);
  } catch {
    return null;
  }
  return requestPartsOf({ query, operationName: params.get('operationName') ?? undefined, variables });
}

/** Documents judged so far (by text), bounded so that varied documents cannot grow it forever. */
const MAX_JUDGED_DOCUMENTS = 1000;

export class ResponseCache {
  /** Least recently used out first, past maxEntries or maxBytes. */
  private readonly entries: LRUCache<string, CachedAnswer>;
  private readonly judged = new LRUCache<string, boolean>({ max: MAX_JUDGED_DOCUMENTS });
  /** What a principal may see, as a key prefix; principals are reused by the key verification cache. */
  private readonly reaches = new WeakMap<Principal, string>();

  constructor(private readonly opts: ResponseCacheOptions) {
    this.entries = new LRUCache({
      max: Math.max(1, opts.maxEntries),
      maxSize: Math.max(1, opts.maxBytes),
      sizeCalculation: (e, k) => e.body.length + k.length,
    });
  }

  get enabled(): boolean {
    return this.opts.maxEntries > 0;
  }

  /**
   * The request's cache key, or null when the request cannot be cached at all (its document
   * names something the cache cannot keep: mutations, backend-read fields...). What a principal
   * may see depends on its role, scope and (for AGENT keys) recipient, never on which key it is:
   * keys with the same reach share entries.
   */
  keyOf(principal: Principal, request: RequestParts, accept: string): string | null {
    if (!this.enabled || !this.qualifies(request.query)) return null;
    const variables =
      request.variables === undefined || request.variables === null ? '' : JSON.stringify(request.variables);
    return this.key(principal, accept, `${request.operationName ?? ''}\u0000${variables}\u0000${request.query}`);
  }

  private key(principal: Principal, accept: string, part: string): string {
    let reach = this.reaches.get(principal);
    if (reach === undefined) {
      const s = principal.scope;
      reach = `${principal.role}\u0000${s.all ? '*' : `${s.backends.join(',')}/${s.accountIds.join(',')}`}\u0000${principal.recipientId ?? ''}`;
      this.reaches.set(principal, reach);
    }
    return `${reach}\u0000${accept}\u0000${part}`;
  }

  /** The live view of every backend now. Taken before execution, it also pins the maps the execution reads. */
  version(): LiveViewVersion {
    return this.opts.backends().map((b) => this.opts.live(b));
  }

  /** A kept answer that is still what executing the request would give now. */
  lookup(key: string): CachedAnswer | null {
    const hit = this.entries.get(key);
    if (!hit) return null;
    if (!sameVersion(hit.version, this.version())) {
      this.entries.delete(key);
      return null;
    }
    return hit;
  }

  /**
   * Keeps an answer computed from `before` when the document qualifies and the live view did not
   * change while it ran. The caller vouches for the dynamic conditions (a successful query that
   * made no backend request). Returns whether it was kept.
   */
  store(key: string, query: string, before: LiveViewVersion, answer: Omit<CachedAnswer, 'version'>): boolean {
    if (!this.enabled || answer.status !== 200) return false;
    if (before.every((m) => m === null)) return false;
    if (!sameVersion(before, this.version())) return false;
    // Judged already by keyOf; kept so that a key made elsewhere cannot store a mutation's answer.
    if (!this.qualifies(query)) return false;
    if (answer.body.length + key.length > this.opts.maxBytes / 4) return false;
    this.entries.set(key, { ...answer, version: before });
    return true;
  }

  stats(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.entries.calculatedSize };
  }

  private qualifies(query: string): boolean {
    let ok = this.judged.get(query);
    if (ok === undefined) {
      ok = documentQualifies(this.opts.schema, query);
      this.judged.set(query, ok);
    }
    return ok;
  }
}

function sameVersion(a: LiveViewVersion, b: LiveViewVersion): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** True when the document is queries only and every field it names (fragments included) is cacheable. */
export function documentQualifies(schema: GraphQLSchema, query: string): boolean {
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch {
    return false;
  }
  let ok = true;
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      OperationDefinition(node) {
        if (node.operation !== 'query') ok = false;
      },
      Field(node) {
        if (node.name.value === '__typename') return;
        const parent = typeInfo.getParentType();
        if (!parent || !CACHEABLE_FIELDS.has(`${parent.name}.${node.name.value}`)) ok = false;
      },
      Directive(node) {
        // @include/@skip are pure; anything else could mean something the cache cannot know.
        if (node.name.value !== 'include' && node.name.value !== 'skip') ok = false;
      },
    }),
  );
  return (
    ok && document.definitions.every((d) => d.kind === Kind.OPERATION_DEFINITION || d.kind === Kind.FRAGMENT_DEFINITION)
  );
}

export const DEFAULT_RESPONSE_CACHE = {
  maxEntries: DEFAULT_RESPONSE_CACHE_ENTRIES,
  maxBytes: DEFAULT_RESPONSE_CACHE_MEGABYTES * 1024 * 1024,
};
