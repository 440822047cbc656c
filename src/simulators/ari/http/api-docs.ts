/** `GET /ari/api-docs/<file>`: the installed Swagger files with `basePath` rewritten per request. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { API_DOCS_DIR } from './swagger-ops';
import { err, type AriResult } from './respond';

export function serveApiDoc(method: string, file: string, host: string | undefined): AriResult {
  if (method !== 'GET') return err(405, 'Unsupported method');
  const path = join(API_DOCS_DIR, file);
  if (!/^[A-Za-z]+\.json$/.test(file) || !existsSync(path)) return err(404, 'Resource not found');
  const doc = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  if (host) doc.basePath = `http://${host}/ari`;
  else delete doc.basePath;
  return { status: 200, rawJson: JSON.stringify(doc) };
}
