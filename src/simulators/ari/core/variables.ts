/**
 * Reading and writing channel variables and the dialplan functions an ARI client typically uses
 * (`ast_func_read2`, `pbx_retrieve_variable`, `pbx_builtin_setvar_helper`).
 */
import type { AriEngine } from './engine';
import type { SimChannel } from './channel';
import { astTimestamp } from '../util/time';

export type ReadResult = { ok: true; value: string } | { ok: false; error: 'function' | 'not-found' };

function parseFunction(expr: string): { name: string; args: string[] } | undefined {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)\((.*)\)$/s.exec(expr);
  if (!m) return undefined;
  return { name: m[1].toUpperCase(), args: m[2].split(',').map((a) => a.trim()) };
}

function readFunction(engine: AriEngine, ch: SimChannel, expr: string): string | undefined {
  const fn = parseFunction(expr);
  if (!fn) return undefined;
  const [a0 = '', a1 = ''] = fn.args;
  switch (fn.name) {
    case 'CHANNEL':
      switch (a0.toLowerCase()) {
        case 'name':
          return ch.name;
        case 'uniqueid':
          return ch.id;
        case 'state':
          return ch.state;
        case 'language':
          return ch.language;
        case 'accountcode':
        case 'peeraccount':
        case 'userfield':
          return '';
        case 'channeltype':
          return ch.tech;
        case 'context':
          return ch.dialplan.context;
        case 'exten':
          return ch.dialplan.exten;
        case 'pjsip':
          if (ch.tech !== 'PJSIP') return undefined;
          if (a1 === 'call-id') return ch.protocolId;
          return undefined; // e.g. remote_addr: "No transport information" → read failure
        case 'rtp':
          if (ch.tech !== 'PJSIP' || a1 !== 'dest') return undefined;
          return '127.0.0.1:41000';
        default:
          return undefined;
      }
    case 'CALLERID':
      switch (a0.toLowerCase()) {
        case 'name':
          return ch.caller.name;
        case 'num':
        case 'number':
          return ch.caller.number;
        case 'all':
          return ch.caller.name ? `"${ch.caller.name}" <${ch.caller.number}>` : ch.caller.number;
        default:
          return undefined;
      }
    case 'CONNECTEDLINE':
      switch (a0.toLowerCase()) {
        case 'name':
          return ch.connected.name;
        case 'num':
        case 'number':
          return ch.connected.number;
        default:
          return undefined;
      }
    case 'LEN':
      return String(fn.args.join(',').length);
    default:
      return undefined;
  }
}

function builtin(engine: AriEngine, ch: SimChannel, name: string): string | undefined {
  switch (name) {
    case 'EXTEN':
      return ch.dialplan.exten;
    case 'CONTEXT':
      return ch.dialplan.context;
    case 'PRIORITY':
      return String(ch.dialplan.priority);
    case 'CHANNEL':
      return ch.name;
    case 'UNIQUEID':
      return ch.id;
    case 'HANGUPCAUSE':
      return String(ch.hangupCause);
    case 'EPOCH':
      return String(Math.floor(Date.now() / 1000));
    case 'ENTITYID':
      return engine.config.eid;
    case 'TIMESTAMP':
      return astTimestamp();
    default:
      return undefined;
  }
}

export function readVariable(engine: AriEngine, ch: SimChannel, name: string): ReadResult {
  if (name.endsWith(')')) {
    const value = readFunction(engine, ch, name);
    return value === undefined ? { ok: false, error: 'function' } : { ok: true, value };
  }
  const own = ch.vars.get(name);
  if (own !== undefined) return { ok: true, value: own };
  const b = builtin(engine, ch, name);
  if (b !== undefined) return { ok: true, value: b };
  const g = engine.globals.get(name);
  if (g !== undefined) return { ok: true, value: g };
  return { ok: false, error: 'not-found' };
}

/** Returns false when a function write fails (unknown or read-only function). */
export function writeVariable(engine: AriEngine, ch: SimChannel, name: string, value: string | undefined): boolean {
  if (!name.endsWith(')')) {
    engine.setVariable(ch, name, value);
    return true;
  }
  const fn = parseFunction(name);
  if (!fn) return false;
  const v = value ?? '';
  const field = (fn.args[0] ?? '').toLowerCase();
  if (fn.name === 'CALLERID') {
    if (field === 'name') engine.setCaller(ch, v, ch.caller.number);
    else if (field === 'num' || field === 'number') engine.setCaller(ch, ch.caller.name, v);
    else if (field === 'all') {
      const m = /^\s*"?([^"<]*?)"?\s*<([^>]*)>\s*$/.exec(v);
      if (m) engine.setCaller(ch, m[1], m[2]);
      else engine.setCaller(ch, '', v);
    } else return false;
    return true;
  }
  if (fn.name === 'CONNECTEDLINE') {
    if (field === 'name') engine.setConnected(ch, v, ch.connected.number);
    else if (field === 'num' || field === 'number') engine.setConnected(ch, ch.connected.name, v);
    else return false;
    return true;
  }
  if (fn.name === 'CHANNEL' && field === 'language') {
    ch.language = v;
    return true;
  }
  return false;
}
