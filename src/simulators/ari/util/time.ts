/** Asterisk's `%FT%T.%q%z` timestamp; the simulator behaves like a host on UTC. */
export function astTimestamp(date: Date = new Date()): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return (
    `${date.getUTCFullYear()}-${p(date.getUTCMonth() + 1)}-${p(date.getUTCDate())}` +
    `T${p(date.getUTCHours())}:${p(date.getUTCMinutes())}:${p(date.getUTCSeconds())}` +
    `.${p(date.getUTCMilliseconds(), 3)}+0000`
  );
}
