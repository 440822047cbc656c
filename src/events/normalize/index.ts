export { normalizeAriEvent, ariChannelSnapshot, channelIdFromTargetUri, type AriNormalizeContext } from './ari';
export { normalizeKazooEvent, type KazooNormalizeContext } from './kazoo';
export { q850FromCauseName } from './hangup-causes';
export { agentActionForEventName, agentActionForState, eventNameForAction } from './agent-actions';
export { channelIds } from './common';
