/** ARI user authentication (`res/res_ari.c` `authenticate_user`, `main/http.c` `ast_http_get_auth`). */
import type { IncomingHttpHeaders } from 'node:http';

export interface AriUser {
  username: string;
  password: string;
  readOnly?: boolean;
}

function credentialsFromPair(pair: string): { user: string; pass: string } | undefined {
  const colon = pair.indexOf(':');
  if (colon < 0) return undefined;
  const user = pair.slice(0, colon);
  const pass = pair.slice(colon + 1);
  if (!pass) return undefined;
  return { user, pass };
}

/**
 * A usable `Basic` header is the only source when present (even if wrong); otherwise `api_key=user:pass`.
 * Returns undefined when the request is not authenticated.
 */
export function authenticate(
  headers: IncomingHttpHeaders,
  query: Array<[string, string]>,
  users: AriUser[],
): AriUser | undefined {
  let creds: { user: string; pass: string } | undefined;
  const auth = headers.authorization;
  if (typeof auth === 'string' && /^basic /i.test(auth)) {
    const decoded = Buffer.from(auth.slice(6).trim(), 'base64').toString('utf8');
    creds = credentialsFromPair(decoded);
    if (!creds) return undefined;
  } else {
    let apiKey: string | undefined;
    for (const [name, value] of query) if (name === 'api_key') apiKey = value;
    if (apiKey !== undefined) creds = credentialsFromPair(apiKey);
  }
  if (!creds) return undefined;
  return users.find((u) => u.username === creds.user && u.password === creds.pass);
}

export const AUTH_REALM = 'Asterisk REST Interface';
