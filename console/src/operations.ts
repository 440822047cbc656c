/**
 * Every GraphQL document the console sends, in one place: the console is a client of the public
 * graph only (schema.graphql), so when the schema changes this file is what changes.
 */

export const ME = `query Me { me { id name role allScope backends accountIds recipientId } }`;

/** Which optional fields this gateway has (the kit's Channel.quality), read by introspection. */
export const CHANNEL_TYPE_FIELDS = `query ChannelTypeFields {
  channel: __type(name: "Channel") { fields { name type { name kind ofType { name kind } } } }
}`;
export const TYPE_FIELDS = `query TypeFields($name: String!) { __type(name: $name) { fields { name type { kind name ofType { name } } } } }`;

const CHANNEL_BASE = `id nativeId name state rawState accountId direction createdAt capabilities
  backend { name kind } caller { name number } connected { name number }`;

/** The channel selection, with the quality sub-selection when the gateway has one. */
export function channelFields(quality: string | null): string {
  return quality ? `${CHANNEL_BASE} quality { ${quality} }` : CHANNEL_BASE;
}

export const BACKENDS = `query Backends { backends { name kind health { connected lastError lastConnectedAt } } }`;
/** A cheap read of one backend's channels: does it answer again? */
export const BACKEND_PROBE = `query BackendProbe($backend: String!) { channels(filter: { backend: $backend }) { id } }`;

export const channelsQuery = (fields: string): string => `query Channels { channels { ${fields} } }`;

/**
 * One stream of every channel event; `after` resumes right behind the last one seen. An event's
 * `channel` is a ChannelSnapshot (history, with an id of its own): the live fields, without the
 * backend reads (quality) that only a live Channel offers.
 */
export const channelEventsSubscription = (fields: string): string => `subscription ChannelEvents($after: String) {
  channelEvents(after: $after) {
    __typename cursor backend { name } channelId accountId receivedAt occurredAt reconciled
    channel { ${CHANNEL_BASE} }
    ... on ResyncRequired { requestedAfter channels { ${fields} } recipients { ${RECIPIENT_FIELDS} } }
  }
}`;

export const RECIPIENT_FIELDS = `id nativeId name accountId backend { name }
  status { availabilityState rawAvailabilityState loggedIn available wrapupTimeSeconds wiretappingRecipient wiretapMode
    queueAvailability { queueId available }
    handlingCall { sessionId queueId callerIdName callerIdNumber queueEnterTime } }`;

export const RECIPIENTS = `query Recipients { recipients { ${RECIPIENT_FIELDS} } }`;
export const RECIPIENT = `query Recipient($id: ID!) { recipient(id: $id) { ${RECIPIENT_FIELDS} } }`;

export const AGENT_EVENTS = `subscription AgentEvents($after: String) {
  agentEvents(after: $after) {
    __typename cursor backend { name } accountId queueId recipientId callId receivedAt occurredAt reconciled
    ... on AgentStateChanged { action availabilityState recipient { ${RECIPIENT_FIELDS} } }
    ... on ResyncRequired { requestedAfter recipients { ${RECIPIENT_FIELDS} } }
  }
}`;

/** Journal history after a cursor: how many events a dropped socket missed. */
export const EVENTS_AFTER = `query EventsAfter($after: String, $first: Int!, $filter: EventFilter) {
  events(after: $after, first: $first, filter: $filter) { edges { cursor } pageInfo { endCursor hasNextPage } }
}`;

export const ANSWER = `mutation Answer($id: ID!) { answerChannel(input: { id: $id }) { channel { id } } }`;
export const HANGUP = `mutation Hangup($input: HangupChannelInput!) { hangupChannel(input: $input) { hungUpChannelId } }`;
export const HOLD = `mutation Hold($id: ID!) { holdChannel(input: { id: $id }) { channel { id } } }`;
export const UNHOLD = `mutation Unhold($id: ID!) { unholdChannel(input: { id: $id }) { channel { id } } }`;
export const MUTE = `mutation Mute($id: ID!) { muteChannel(input: { id: $id }) { channel { id } } }`;
export const UNMUTE = `mutation Unmute($id: ID!) { unmuteChannel(input: { id: $id }) { channel { id } } }`;
export const PLAY = `mutation Play($input: PlayMediaInput!) { playMedia(input: $input) { playback { id state } } }`;
export const TRANSFER = `mutation Transfer($input: TransferChannelInput!) { transferChannel(input: $input) { channel { id } } }`;
export const ORIGINATE = `mutation Originate($input: OriginateInput!) { originate(input: $input) { channel { id state } } }`;

export const LOGIN = `mutation Login($id: ID!) { loginRecipient(input: { id: $id }) { recipient { ${RECIPIENT_FIELDS} } } }`;
export const LOGOUT = `mutation Logout($id: ID!) { logoutRecipient(input: { id: $id }) { recipient { ${RECIPIENT_FIELDS} } } }`;
export const SET_STATUS = `mutation SetStatus($input: SetRecipientStatusInput!) { setRecipientStatus(input: $input) { recipient { ${RECIPIENT_FIELDS} } } }`;
export const END_WRAPUP = `mutation EndWrapup($id: ID!) { cancelWrapup(input: { id: $id }) { recipient { ${RECIPIENT_FIELDS} } } }`;
export const MONITOR = `mutation Monitor($input: MonitorRecipientInput!) { monitorRecipient(input: $input) { recipient { ${RECIPIENT_FIELDS} } } }`;

/** Channel starts and ends from the journal, oldest first: the calls chart's last hour. */
export const CHANNEL_LIFECYCLE = `query ChannelLifecycle($after: String) {
  events(after: $after, first: 500, filter: { categories: [CHANNEL], types: [CHANNEL_CREATED, CHANNEL_DESTROYED] }) {
    edges { node { __typename receivedAt backend { name } } }
    pageInfo { endCursor hasNextPage }
  }
}`;

/** One direction's numbers the sparkline draws. */
const QUALITY_DIRECTION = `jitterMs lossPercent`;

/**
 * Every channel's quality, one payload per channel per interval, for the whole page (one poller
 * on the gateway, docs/quality.md). `sinceLastSample` is how the call sounds now.
 */
export const CHANNEL_QUALITY = `subscription ChannelQuality($interval: Int!) {
  channelQuality(intervalSeconds: $interval) {
    channelId mos sampledAt inbound { ${QUALITY_DIRECTION} } outbound { ${QUALITY_DIRECTION} }
    sinceLastSample { mos inbound { ${QUALITY_DIRECTION} } outbound { ${QUALITY_DIRECTION} } }
  }
}`;
