/**
 * Argument checks done before any backend is touched. Each throws BAD_USER_INPUT naming the
 * argument. The backend still has the last word on what only it can know.
 */
import { badInput } from '../domain/errors';
import type { Variables } from '../backends/types';

const MAX_NATIVE_ID = 149;
const ENDPOINT = /^[^/\s]+\/\S.*$/;
const DTMF = /^[0-9A-Da-d*#wW]+$/;
const MEDIA_SCHEMES = ['sound', 'recording', 'number', 'digits', 'characters', 'tone'];

export function requireText(value: string | undefined | null, arg: string): string {
  if (value === undefined || value === null || value.trim() === '')
    throw badInput(`${arg} must not be empty`, { argumentName: arg });
  return value;
}

export function checkEndpoint(endpoint: string, arg = 'endpoint'): void {
  if (!ENDPOINT.test(endpoint)) {
    throw badInput(
      `${arg} must be "technology/resource", e.g. "PJSIP/alice" or "Local/100@default", got ${JSON.stringify(endpoint)}`,
      {
        argumentName: arg,
      },
    );
  }
}

export function checkNativeId(id: string | undefined, arg: string): void {
  if (id === undefined) return;
  if (id.length === 0 || id.length > MAX_NATIVE_ID) {
    throw badInput(`${arg} must be 1 to ${MAX_NATIVE_ID} characters`, { argumentName: arg });
  }
  if (id.includes('/')) throw badInput(`${arg} must not contain "/"`, { argumentName: arg });
}

export function checkRange(value: number | undefined, arg: string, min: number, max: number): void {
  if (value === undefined || value === null) return;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw badInput(`${arg} must be an integer from ${min} to ${max}, got ${value}`, { argumentName: arg });
  }
}

export function checkDtmf(dtmf: string): void {
  if (!DTMF.test(dtmf)) {
    throw badInput(`dtmf may contain only 0-9, A-D, *, # and the pauses w/W, got ${JSON.stringify(dtmf)}`, {
      argumentName: 'dtmf',
    });
  }
}

export function checkMedia(media: string[]): void {
  if (media.length === 0) throw badInput('media must name at least one media URI', { argumentName: 'media' });
  for (const m of media) {
    const scheme = m.split(':', 1)[0];
    if (!m.includes(':') || !MEDIA_SCHEMES.includes(scheme) || m.length === scheme.length + 1) {
      throw badInput(
        `media URI ${JSON.stringify(m)} must be <scheme>:<resource> with scheme one of ${MEDIA_SCHEMES.join(', ')}`,
        {
          argumentName: 'media',
        },
      );
    }
  }
}

/** app vs dialplan target, as ARI originate expects (docs/wire/ari.md §2.3). */
export function checkOriginateTarget(i: {
  app?: string;
  appArgs?: string;
  extension?: string;
  context?: string;
  priority?: number;
  label?: string;
}): void {
  const dialplan =
    i.extension !== undefined || i.context !== undefined || i.priority !== undefined || i.label !== undefined;
  if (i.app !== undefined && dialplan) {
    throw badInput('app is mutually exclusive with extension, context, priority and label', { argumentName: 'app' });
  }
  if (i.appArgs !== undefined && i.app === undefined) throw badInput('appArgs needs app', { argumentName: 'appArgs' });
  if (i.app === undefined && (i.extension === undefined || i.extension === '')) {
    throw badInput('give either app (a Stasis application) or extension (a dialplan target)', { argumentName: 'app' });
  }
  if (i.app !== undefined) requireText(i.app, 'app');
  checkRange(i.priority, 'priority', 1, 1_000_000);
}

export function checkExclusive(a: unknown, aName: string, b: unknown, bName: string): void {
  if (a !== undefined && a !== null && b !== undefined && b !== null) {
    throw badInput(`${aName} and ${bName} cannot both be given`, { argumentName: aName });
  }
}

export function toVariables(
  list: Array<{ name: string; value: string; reportEvents?: boolean }> | undefined,
  arg = 'variables',
): Variables | undefined {
  if (!list) return undefined;
  const out: Variables = {};
  for (const v of list) {
    const name = v.name.trim();
    if (name === '') throw badInput(`${arg}: variable names must not be empty`, { argumentName: arg });
    if (name in out) throw badInput(`${arg}: variable ${JSON.stringify(name)} given twice`, { argumentName: arg });
    out[name] = v.reportEvents === undefined ? v.value : { value: v.value, reportEvents: v.reportEvents };
  }
  return out;
}

export function checkRecordingName(name: string): void {
  requireText(name, 'name');
  if (name.startsWith('/') || name.split('/').includes('..')) {
    throw badInput('name must be a relative recording name without ".."', { argumentName: 'name' });
  }
}

export function checkHostPort(host: string, arg: string): void {
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:\s]+):(\d{1,5})$/.exec(host);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) {
    throw badInput(`${arg} must be "host:port", got ${JSON.stringify(host)}`, { argumentName: arg });
  }
}
