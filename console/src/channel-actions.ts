/**
 * The buttons a channel row offers, from its `capabilities` (schema.graphql, Channel): an action
 * shows only when the backend would accept it now. Hold and mute are toggles the console keeps
 * per channel, since a channel snapshot does not say whether patchbay held or muted it.
 */
import { ask } from './dialog';
import * as op from './operations';
import type { Channel } from './types';

export interface ChannelAction {
  key: string;
  label: string;
  /** Returns the mutation and its variables, or null when the user cancelled a dialog. */
  prepare(ch: Channel): Promise<{ doc: string; vars: Record<string, unknown> } | null>;
}

const toggled = new Map<string, Set<string>>();

export function isToggled(id: string, what: string): boolean {
  return toggled.get(id)?.has(what) ?? false;
}

export function setToggled(id: string, what: string, on: boolean): void {
  let set = toggled.get(id);
  if (!set) toggled.set(id, (set = new Set()));
  if (on) set.add(what);
  else set.delete(what);
}

export function forgetChannel(id: string): void {
  toggled.delete(id);
}

const simple = (key: string, label: string, doc: string): ChannelAction => ({
  key,
  label,
  prepare: async (ch) => ({ doc, vars: { id: ch.id } }),
});

const ANSWER = simple('answer', 'Answer', op.ANSWER);
const HANGUP: ChannelAction = {
  key: 'hangup',
  label: 'Hang up',
  prepare: async (ch) => ({ doc: op.HANGUP, vars: { input: { id: ch.id } } }),
};
const HOLD = simple('hold', 'Hold', op.HOLD);
const UNHOLD = simple('unhold', 'Unhold', op.UNHOLD);
const MUTE = simple('mute', 'Mute', op.MUTE);
const UNMUTE = simple('unmute', 'Unmute', op.UNMUTE);

const PLAY: ChannelAction = {
  key: 'play',
  label: 'Play sound',
  async prepare(ch) {
    const v = await ask(`Play a sound to ${ch.name}`, [
      { name: 'media', label: 'Media URI', value: 'sound:hello-world' },
    ]);
    return v && { doc: op.PLAY, vars: { input: { id: ch.id, media: [v.media] } } };
  },
};

const TRANSFER: ChannelAction = {
  key: 'transfer',
  label: 'Transfer',
  async prepare(ch) {
    const v = await ask(`Transfer ${ch.name}`, [
      { name: 'target', label: 'Extension or number', value: '' },
      { name: 'type', label: 'Type', value: 'BLIND', options: ['BLIND', 'ATTENDED'] },
    ]);
    return v && { doc: op.TRANSFER, vars: { input: { id: ch.id, target: v.target, type: v.type } } };
  },
};

/** The actions for a channel now, in a stable order. */
export function actionsFor(ch: Channel): ChannelAction[] {
  const caps = new Set(ch.capabilities);
  const out: ChannelAction[] = [];
  if (caps.has('ANSWER')) out.push(ANSWER);
  if (caps.has('HOLD')) out.push(isToggled(ch.id, 'hold') ? UNHOLD : HOLD);
  if (caps.has('MUTE')) out.push(isToggled(ch.id, 'mute') ? UNMUTE : MUTE);
  if (caps.has('PLAY_MEDIA')) out.push(PLAY);
  if (caps.has('TRANSFER')) out.push(TRANSFER);
  if (caps.has('HANGUP')) out.push(HANGUP);
  return out;
}

/** After a successful action: flip the toggles it changes. */
export function afterAction(ch: Channel, key: string): void {
  if (key === 'hold' || key === 'unhold') setToggled(ch.id, 'hold', key === 'hold');
  if (key === 'mute' || key === 'unmute') setToggled(ch.id, 'mute', key === 'mute');
}
