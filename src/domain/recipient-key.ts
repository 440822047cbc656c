/** How ingest and reconcile key an agent's last known availability. */

/** `${accountId}/${recipientId}`: a recipient is a user, and user ids are unique per account. */
export type RecipientKey = string;

export function recipientKey(accountId: string, recipientId: string): RecipientKey {
  return `${accountId}/${recipientId}`;
}

export function parseRecipientKey(key: RecipientKey): { accountId: string; recipientId: string } {
  const at = key.indexOf('/');
  return at < 0 ? { accountId: '', recipientId: key } : { accountId: key.slice(0, at), recipientId: key.slice(at + 1) };
}
