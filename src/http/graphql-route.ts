/**
 * GraphQL over HTTP (POST, and GET for queries) as one pipeline every request takes:
 * read → authenticate → limits → response cache → execute (Apollo) → ETag. Who may call and
 * what is refused on sight is decided by the shared policy (src/api/policy.ts); this file only
 * maps it onto HTTP. Browsers asking for HTML get GraphiQL instead.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer } from '@apollo/server';
import type { AccessPolicy } from '../api/policy';
import { refuse, type Refusal } from '../api/refusal';
import type { Principal } from '../auth/principal';
import { graphiqlPage } from '../graphiql';
import { createContext, type GatewayServices, type GraphQLContext } from '../graphql/context';
import {
  encodedBody,
  requestPartsOf,
  requestPartsOfSearch,
  type CachedAnswer,
  type RequestParts,
  type ResponseCache,
} from '../graphql/response-cache';
import type { GatewayMetrics } from '../observability/metrics';
import type { RequestObservation } from '../observability/request-log';
import { runInScope } from '../observability/scope';
import { readBody } from './body';
import { etagOf, notModified, sendNotModified } from './etag';
import { appendVary, sendRefusal } from './send';

export const MAX_BODY_BYTES = 1_000_000;

export interface GraphQLRouteOptions {
  apollo: ApolloServer<GraphQLContext>;
  policy: AccessPolicy;
  cache: ResponseCache;
  services: GatewayServices;
  metrics: GatewayMetrics;
  /** Headers GraphiQL starts with (demo mode: the local admin key, served on 127.0.0.1 only). */
  graphiqlHeaders?: Record<string, string>;
}

/** A request as read: Apollo's body (POST), the query string, and what the cache and policy look at. */
interface GraphQLRequest {
  body: unknown;
  search: string;
  query: unknown;
  parts: RequestParts | null;
}

function wantsFresh(req: IncomingMessage): boolean {
  const cc = req.headers['cache-control'];
  return cc !== undefined && /\bno-(cache|store)\b/i.test(cc);
}

/** The body (POST) or query string (GET), parsed as far as the policy and the cache need it. */
async function readRequest(req: IncomingMessage, search: string): Promise<GraphQLRequest | Refusal> {
  if (req.method !== 'POST') {
    const params = new URLSearchParams(search);
    return { body: undefined, search, query: params.get('query'), parts: requestPartsOfSearch(params) };
  }
  const text = await readBody(req, MAX_BODY_BYTES);
  if (text === null)
    return refuse.badRequest(`request body over ${MAX_BODY_BYTES} bytes`, 413, { connection: 'close' });
  let body: unknown = text;
  if ((req.headers['content-type'] ?? '').includes('application/json')) {
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      return refuse.badRequest('request body is not valid JSON');
    }
  }
  const parts = requestPartsOf(body);
  return { body, search, query: parts?.query ?? (body as { query?: unknown } | undefined)?.query, parts };
}

/** A query's answer from memory, observed like an executed one; 304 when the client has it. */
function sendCached(req: IncomingMessage, res: ServerResponse, hit: CachedAnswer, obs: RequestObservation): void {
  obs.operationName = hit.operationName;
  obs.operationType = 'query';
  obs.outcome = 'success';
  obs.cache = 'hit';
  if (notModified(req, hit.etag)) return sendNotModified(res, hit.etag);
  const sent = encodedBody(hit, req.headers['accept-encoding']);
  for (const name in hit.headers) res.setHeader(name, hit.headers[name]);
  res.setHeader('etag', hit.etag);
  appendVary(res, 'accept-encoding');
  if (sent.encoding) res.setHeader('content-encoding', sent.encoding);
  res.setHeader('content-length', sent.body.length);
  res.writeHead(hit.status);
  res.end(sent.body);
}

/** A successful query that asked no backend and added no partial errors: its answer came from the live view. */
function isPureLiveViewRead(o: RequestObservation, ctx: GraphQLContext | undefined): boolean {
  return (
    o.operationType === 'query' &&
    o.outcome === 'success' &&
    o.backendCalls === 0 &&
    ctx !== undefined &&
    ctx.partialErrors.length === 0
  );
}

export function graphqlRoute(
  o: GraphQLRouteOptions,
): (req: IncomingMessage, res: ServerResponse, search: string, obs: RequestObservation) => Promise<void> {
  const { policy, cache, metrics } = o;

  /** The principal, null for a keyless request the policy lets through (public introspection), or the refusal. */
  async function authenticate(req: IncomingMessage, request: GraphQLRequest): Promise<Principal | null | Refusal> {
    const auth = await policy.authenticate(req.headers.authorization, req.socket);
    if ('principal' in auth) return auth.principal;
    return auth.missing && policy.isPublicDocument(request.query) ? null : auth.refusal;
  }

  async function execute(
    req: IncomingMessage,
    res: ServerResponse,
    request: GraphQLRequest,
    principal: Principal | null,
    obs: RequestObservation,
    cacheKey: string | null,
  ): Promise<void> {
    const headers = new HeaderMap();
    for (const [k, v] of Object.entries(req.headers))
      if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
    // Taken before execution: it also pins the live view maps the execution will read.
    const before = cacheKey ? cache.version() : null;
    let contextValue: GraphQLContext | undefined;
    // Backend requests made while executing are counted for this request and this gateway.
    const response = await runInScope({ gateway: metrics, request: obs }, () =>
      o.apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: request.search, body: request.body },
        context: async () => (contextValue = createContext(o.services, obs.requestId, principal)),
      }),
    );
    for (const [k, v] of response.headers) res.setHeader(k, v);
    res.statusCode = response.status ?? 200;
    if (response.body.kind !== 'complete') {
      for await (const chunk of response.body.asyncIterator) res.write(chunk);
      return void res.end();
    }
    const answer = Buffer.from(response.body.string, 'utf8');
    const etag = obs.operationType === 'query' && res.statusCode === 200 ? etagOf(answer) : null;
    if (cacheKey && before && request.parts && etag && isPureLiveViewRead(obs, contextValue)) {
      const entry = {
        status: res.statusCode,
        headers: Object.fromEntries(response.headers),
        body: answer,
        operationName: obs.operationName,
        etag,
      };
      if (cache.store(cacheKey, request.parts.query, before, entry)) {
        obs.cache = 'stored';
        metrics.responseCache.inc({ result: 'stored' });
      }
    }
    if (etag && notModified(req, etag)) return sendNotModified(res, etag);
    if (etag) res.setHeader('etag', etag);
    res.end(answer);
  }

  return async function serveGraphQL(req, res, search, obs) {
    // Browsers get GraphiQL (which itself reads ?query= to prefill the editor); clients get GraphQL.
    if (req.method === 'GET' && (req.headers.accept ?? '').includes('text/html')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return void res.end(graphiqlPage(o.graphiqlHeaders));
    }
    if (req.method !== 'GET' && req.method !== 'POST')
      return sendRefusal(
        res,
        refuse.badRequest('GraphQL takes GET (queries) and POST', 405, { allow: 'GET, POST, OPTIONS' }),
      );
    const request = await readRequest(req, search);
    if ('status' in request) return sendRefusal(res, request);
    const principal = await authenticate(req, request);
    if (principal !== null && 'status' in principal) return sendRefusal(res, principal);
    obs.principalId = principal?.id ?? null;
    const refused =
      (await policy.rateLimit(principal, req.socket.remoteAddress)) ?? policy.documentRefusal(request.query, 'http');
    if (refused) return sendRefusal(res, refused);
    const cacheKey =
      principal && request.parts ? cache.keyOf(principal, request.parts, req.headers.accept ?? '') : null;
    if (cacheKey) {
      // Cache-Control: no-cache asks for an executed answer (which may then be kept for others).
      const hit = wantsFresh(req) ? null : cache.lookup(cacheKey);
      metrics.responseCache.inc({ result: hit ? 'hit' : 'miss' });
      if (hit) return sendCached(req, res, hit, obs);
      obs.cache = 'miss';
    }
    await execute(req, res, request, principal, obs, cacheKey);
  };
}
