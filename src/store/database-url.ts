/**
 * Turns a DATABASE_URL into pg settings and turns pg's connection failures into messages that
 * name the server and say what to fix — without ever repeating the password.
 */
import type { PoolConfig } from 'pg';
import { DatabaseError } from './errors';

export interface DatabaseTarget {
  host: string;
  port: number;
  database: string;
  user: string;
  /** `postgresql://user@host:port/db`: safe to log and to put in errors. */
  display: string;
}

export function parseDatabaseUrl(url: string): { target: DatabaseTarget; config: PoolConfig } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DatabaseError(
      'INVALID_DATABASE_URL',
      `Invalid database url (${redactUrl(url)}): expected postgresql://user:password@host:5432/database`,
    );
  }
  if (parsed.protocol !== 'postgresql:' && parsed.protocol !== 'postgres:') {
    throw new DatabaseError(
      'INVALID_DATABASE_URL',
      `Invalid database url: scheme "${parsed.protocol.replace(/:$/, '')}" is not postgresql:// (the only provider)`,
    );
  }
  const host = decodeURIComponent(parsed.hostname.replace(/^\[|\]$/g, '')) || 'localhost';
  const port = parsed.port ? Number(parsed.port) : 5432;
  const user = decodeURIComponent(parsed.username) || process.env.PGUSER || 'postgres';
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || user;
  const target: DatabaseTarget = {
    host,
    port,
    database,
    user,
    display: `postgresql://${encodeURIComponent(user)}@${parsed.host || host}/${encodeURIComponent(database)}`,
  };
  // pg parses the full string itself (sslmode, options, ...); we only needed the parts above.
  return { target, config: { connectionString: url } };
}

/** Best effort for strings URL cannot parse: drop anything between `:` and `@`. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]*):[^@]*@/, '$1:***@');
}

/** Maps a failed first connection to a DatabaseError that says what to check. */
export function connectionError(err: unknown, target: DatabaseTarget): DatabaseError {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : '';
  const detail = err instanceof Error ? err.message : String(err);
  const where = `PostgreSQL at ${target.host}:${target.port}`;
  switch (code) {
    case 'ECONNREFUSED':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ETIMEDOUT':
    case 'ECONNRESET':
      return new DatabaseError(
        'DATABASE_UNREACHABLE',
        `Cannot reach ${where} (${code}): is the server running and the url right? (${target.display})`,
        { cause: err },
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new DatabaseError(
        'DATABASE_UNREACHABLE',
        `Cannot resolve database host "${target.host}" (${code}) in ${target.display}`,
        { cause: err },
      );
    case '28P01':
    case '28000':
      return new DatabaseError('DATABASE_AUTH_FAILED', `${where} rejected user "${target.user}": ${detail}`, {
        cause: err,
      });
    case '3D000':
      return new DatabaseError(
        'DATABASE_NOT_FOUND',
        `${where} has no database "${target.database}": create it first (${target.display})`,
        { cause: err },
      );
    default:
      if (/timeout/i.test(detail)) {
        return new DatabaseError('DATABASE_UNREACHABLE', `Timed out connecting to ${where} (${target.display})`, {
          cause: err,
        });
      }
      return new DatabaseError('DATABASE_ERROR', `Cannot open ${target.display}: ${scrub(detail)}`, { cause: err });
  }
}

/** pg's messages do not carry the password, but a url echoed by a driver might. */
function scrub(message: string): string {
  return message.replace(/(postgres(?:ql)?:\/\/[^:/@\s]*):[^@\s]*@/g, '$1:***@');
}
