/**
 * `ast_app_separate_args` with character removal, as ARI uses it for allowMultiple parameters:
 * commas inside (), [] or double quotes do not split; quotes are removed; a backslash is removed and
 * the next character taken literally.
 */
export function separateArgs(input: string, delim = ','): string[] {
  if (input.length === 0) return [''];
  const out: string[] = [];
  let cur = '';
  let paren = 0;
  let bracket = 0;
  let quoted = false;
  let escaped = false;
  for (const ch of input) {
    if (escaped) {
      cur += ch;
      escaped = false;
      continue;
    }
    if (ch === '\\') {
      escaped = true;
      continue;
    }
    if (ch === '"') {
      quoted = !quoted;
      continue;
    }
    if (!quoted) {
      if (ch === '(') paren++;
      else if (ch === ')' && paren > 0) paren--;
      else if (ch === '[') bracket++;
      else if (ch === ']' && bracket > 0) bracket--;
      else if (ch === delim && paren === 0 && bracket === 0) {
        out.push(cur);
        cur = '';
        continue;
      }
    }
    cur += ch;
  }
  out.push(cur);
  return out;
}

/** ARI's MAX_VALS: 128 or more items is a 400. */
export const MAX_MULTI_VALUES = 128;
