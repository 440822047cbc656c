/**
 * Global ids: `<backend>:<native id>`. Backend names cannot contain ':' (config enforces it), so
 * the first ':' splits; native ids keep any ':' of their own.
 */
import { badInput } from './errors';

export interface GlobalId {
  backend: string;
  nativeId: string;
}

export function toGlobalId(backend: string, nativeId: string): string {
  return `${backend}:${nativeId}`;
}

export function parseGlobalId(id: string, argName = 'id'): GlobalId {
  const at = id.indexOf(':');
  if (at <= 0 || at === id.length - 1) {
    throw badInput(`${argName} must be a global id "<backend>:<native id>", got ${JSON.stringify(id)}`, {
      argumentName: argName,
    });
  }
  return { backend: id.slice(0, at), nativeId: id.slice(at + 1) };
}
