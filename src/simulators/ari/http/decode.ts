/**
 * Asterisk's "legacy" URI decoding (`ast_uri_decode` with `ast_uri_http_legacy`): `+` is a space and
 * `%XX` is a byte. Malformed escapes are kept literally, as the C code does.
 */
export function legacyDecode(s: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '+') {
      bytes.push(0x20);
    } else if (c === '%' && /^[0-9a-fA-F]{2}$/.test(s.slice(i + 1, i + 3))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      for (const b of Buffer.from(c, 'utf8')) bytes.push(b);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** `a=1&b=2` → ordered [name, value] pairs, decoded the legacy way. Empty names are dropped. */
export function parseUrlEncoded(s: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if (!s) return out;
  for (const part of s.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const name = legacyDecode(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? '' : legacyDecode(part.slice(eq + 1));
    if (name) out.push([name, value]);
  }
  return out;
}
