/** Sound files the simulated Asterisk has installed (a subset of the core sounds package). */
const SOUNDS = new Set([
  'hello-world',
  'demo-congrats',
  'demo-thanks',
  'demo-echotest',
  'demo-echodone',
  'tt-monkeys',
  'tt-weasels',
  'tt-allbusy',
  'beep',
  'goodbye',
  'vm-intro',
  'vm-goodbye',
  'vm-login',
  'conf-onlyperson',
  'conf-waitforleader',
  'queue-callswaiting',
  'queue-thankyou',
  'pls-hold-while-try',
  'please-try-again',
  'silence/1',
  'silence/2',
  'agent-loginok',
  'agent-loggedoff',
  'auth-thankyou',
  'transfer',
  'pbx-invalid',
  'ss-noservice',
  ...Array.from({ length: 10 }, (_, i) => `digits/${i}`),
]);

export function soundExists(name: string): boolean {
  return SOUNDS.has(name);
}

export function listSounds(): string[] {
  return [...SOUNDS].sort();
}

/** Audio file extensions `ast_get_format_for_file_ext` knows. */
const FORMATS = new Set([
  'wav',
  'WAV',
  'wav49',
  'gsm',
  'ulaw',
  'pcm',
  'mu',
  'alaw',
  'al',
  'sln',
  'raw',
  'sln16',
  'g722',
  'g729',
  'ilbc',
  'siren7',
  'siren14',
  'ogg',
  'h263',
  'h264',
  'g726-32',
  'speex',
]);

export function formatKnown(ext: string): boolean {
  return FORMATS.has(ext);
}

/** Codec names `ast_format_cache_get` knows (for `formats=` on originate/create). */
const CODECS = new Set([
  'ulaw',
  'alaw',
  'gsm',
  'g722',
  'g729',
  'slin',
  'slin16',
  'slin48',
  'opus',
  'ilbc',
  'speex',
  'g726',
]);

export function codecKnown(name: string): boolean {
  return CODECS.has(name);
}
