/** Commands of a fan-out client process (many graphql-ws subscribers). */

export interface ClientReport {
  /** Client receive time minus the event's occurredAt, ms, one per delivered payload, by event cursor. */
  byCursor: Record<string, number[]>;
  errors: number;
  firstError?: string;
  open: number;
}

export interface ClientCommands {
  /** `apiKey` goes in connection_init's payload as `authorization: Bearer <key>`. */
  connect: [{ url: string; apiKey: string; n: number; query: string; parallel: number }, { open: number }];
  reset: [Record<string, never>, void];
  count: [Record<string, never>, number];
  report: [Record<string, never>, ClientReport];
  stop: [Record<string, never>, void];
}
