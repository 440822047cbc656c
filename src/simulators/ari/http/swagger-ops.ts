/**
 * The route tree is built from the same Swagger files the simulator serves, so paths, methods and
 * parameter types cannot drift from the documented API.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const API_DOCS_DIR = join(__dirname, '..', 'api-docs');

export type ParamType = 'string' | 'int' | 'long' | 'boolean' | 'containers' | 'object';

export interface ParamSpec {
  name: string;
  paramType: 'query' | 'path' | 'body';
  dataType: ParamType;
  allowMultiple: boolean;
}

export interface OperationSpec {
  resource: string; // 'channels'
  nickname: string; // 'originate'
  method: string;
  path: string;
  upgrade?: string;
  params: ParamSpec[];
}

export interface RouteNode {
  literal: Map<string, RouteNode>;
  wildcard?: { name: string; node: RouteNode };
  ops: Map<string, OperationSpec>;
}

interface SwaggerParam {
  name: string;
  paramType: string;
  dataType: string;
  allowMultiple?: boolean;
}
interface SwaggerOp {
  httpMethod: string;
  nickname: string;
  upgrade?: string;
  parameters?: SwaggerParam[];
}
interface SwaggerFile {
  resourcePath?: string;
  apis?: Array<{ path: string; operations: SwaggerOp[] }>;
}

function newNode(): RouteNode {
  return { literal: new Map(), ops: new Map() };
}

function toParamType(t: string): ParamType {
  if (t === 'int' || t === 'long' || t === 'boolean' || t === 'containers' || t === 'object') return t;
  return 'string';
}

export function loadRouteTree(dir: string = API_DOCS_DIR): RouteNode {
  const root = newNode();
  for (const file of readdirSync(dir)) {
    if (!file.endsWith('.json') || file === 'resources.json') continue;
    const doc = JSON.parse(readFileSync(join(dir, file), 'utf8')) as SwaggerFile;
    const resource = file.replace(/\.json$/, '');
    for (const api of doc.apis ?? []) {
      let node = root;
      for (const seg of api.path.split('/').filter(Boolean)) {
        const m = /^\{(.+)\}$/.exec(seg);
        if (m) {
          node.wildcard ??= { name: m[1], node: newNode() };
          node = node.wildcard.node;
        } else {
          let next = node.literal.get(seg);
          if (!next) {
            next = newNode();
            node.literal.set(seg, next);
          }
          node = next;
        }
      }
      for (const op of api.operations) {
        node.ops.set(op.httpMethod.toUpperCase(), {
          resource,
          nickname: op.nickname,
          method: op.httpMethod.toUpperCase(),
          path: api.path,
          upgrade: op.upgrade,
          params: (op.parameters ?? []).map((p) => ({
            name: p.name,
            paramType: p.paramType as ParamSpec['paramType'],
            dataType: toParamType(p.dataType),
            allowMultiple: !!p.allowMultiple,
          })),
        });
      }
    }
  }
  return root;
}

export interface RouteMatch {
  node: RouteNode;
  pathParams: Record<string, string>;
}

/** Literal segments win over `{wildcard}` at each level, with no backtracking (`ast_ari_invoke`). */
export function matchRoute(root: RouteNode, segments: string[]): RouteMatch | undefined {
  let node = root;
  const pathParams: Record<string, string> = {};
  for (const seg of segments) {
    const lit = node.literal.get(seg);
    if (lit) {
      node = lit;
    } else if (node.wildcard) {
      pathParams[node.wildcard.name] = seg;
      node = node.wildcard.node;
    } else {
      return undefined;
    }
  }
  return { node, pathParams };
}

/** `Allow:` lists OPTIONS first, then methods in `enum ast_http_method` order. */
export function allowHeader(node: RouteNode): string {
  const order = ['GET', 'POST', 'HEAD', 'PUT', 'DELETE'];
  return ['OPTIONS', ...order.filter((m) => node.ops.has(m))].join(',');
}
