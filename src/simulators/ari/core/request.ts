/**
 * `ast_request` for the technologies the simulator has: PJSIP (configured endpoints only), Local
 * (`;1`/`;2` pairs) and UnicastRTP. Anything else fails the way a missing driver does.
 */
import type { AriEngine } from './engine';
import type { SimChannel } from './channel';
import { RtpSession } from './rtp';
import { fakePointer, uuidV4 } from '../util/ids';

export type RequestResult = { ok: true; ch: SimChannel } | { ok: false; conflict: boolean };

export interface AssignedIds {
  id?: string;
  otherId?: string;
}

const TECHS: Record<string, 'PJSIP' | 'Local' | 'UnicastRTP'> = {
  pjsip: 'PJSIP',
  local: 'Local',
  unicastrtp: 'UnicastRTP',
};

export function canonicalTech(tech: string): 'PJSIP' | 'Local' | 'UnicastRTP' | undefined {
  return TECHS[tech.toLowerCase()];
}

function conflicts(engine: AriEngine, ids: AssignedIds, local: boolean): boolean {
  const wanted = [ids.id, ids.otherId ?? (local && ids.id ? `${ids.id};2` : undefined)];
  return wanted.some((id) => id !== undefined && id !== '' && engine.idInUse(id));
}

export function requestChannel(engine: AriEngine, techIn: string, resource: string, ids: AssignedIds): RequestResult {
  const tech = canonicalTech(techIn);
  if (!tech) return { ok: false, conflict: false };
  if (conflicts(engine, ids, tech === 'Local')) return { ok: false, conflict: true };
  const id = ids.id || undefined;
  switch (tech) {
    case 'PJSIP': {
      const endpoint = resource.split('/')[0];
      if (!engine.config.pjsipEndpoints.includes(endpoint)) return { ok: false, conflict: false };
      const ch = engine.addChannel({
        id,
        tech,
        resource: endpoint,
        name: `PJSIP/${endpoint}-${engine.suffixes.next('PJSIP')}`,
        context: engine.config.pjsipContext,
        exten: 's',
        state: 'Down',
      });
      ch.protocolId = uuidV4(); // the Call-ID exists once the INVITE is built, after ChannelCreated
      ch.rtp = new RtpSession();
      return { ok: true, ch };
    }
    case 'Local': {
      const target = resource.split('/')[0];
      const at = target.indexOf('@');
      const exten = at < 0 ? target : target.slice(0, at);
      const context = at < 0 ? 'default' : target.slice(at + 1) || 'default';
      if (!exten) return { ok: false, conflict: false };
      const suffix = engine.suffixes.next('Local');
      const base = `Local/${exten}@${context}-${suffix}`;
      const one = engine.addChannel({ id, tech, resource: target, name: `${base};1`, context, exten, state: 'Down' });
      const twoId = ids.otherId || (ids.id ? `${ids.id};2` : undefined);
      const two = engine.addChannel({
        id: twoId,
        tech,
        resource: target,
        name: `${base};2`,
        context,
        exten,
        state: 'Ring',
      });
      one.localHalf = 1;
      two.localHalf = 2;
      one.localPeer = two;
      two.localPeer = one;
      return { ok: true, ch: one };
    }
    case 'UnicastRTP': {
      const hostPort = resource.split('/')[0];
      if (!/^[^:]+:\d+$/.test(hostPort) && !/^\[[0-9a-fA-F:]+\]:\d+$/.test(hostPort))
        return { ok: false, conflict: false };
      const ch = engine.addChannel({
        id,
        tech,
        resource: hostPort,
        name: `UnicastRTP/${hostPort}-${fakePointer()}`,
        context: 'default',
        exten: 's',
        state: 'Down',
      });
      ch.dialString = resource;
      engine.setVariable(ch, 'UNICASTRTP_LOCAL_ADDRESS', '127.0.0.1');
      engine.setVariable(ch, 'UNICASTRTP_LOCAL_PORT', String(engine.nextRtpPort()));
      engine.deviceState(`UnicastRTP/${hostPort}`, 'INUSE');
      return { ok: true, ch };
    }
  }
}
