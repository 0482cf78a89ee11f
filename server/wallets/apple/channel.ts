// The 'apns' channel of the outbox: one empty push per device token; the phone then asks the
// PassKit web service for the new pass. A token APNs calls dead loses its registrations.
import type { Db } from '../../db/index.ts';
import { deleteRegistrationsByToken } from '../../db/queries/apple.ts';
import { type OutboxChannel, OutboxWorker, type OutboxWorkerOptions } from '../../outbox/worker.ts';
import type { PushOutcome } from './apns.ts';

/** What the channel needs of an APNs client (the real one is `ApnsClient`). */
export interface PushClient {
  push(token: string): Promise<PushOutcome>;
  close?(): Promise<void>;
}

export function apnsChannel(client: PushClient): OutboxChannel {
  return {
    name: 'apns',
    label: 'APNs',
    logsDeliveries: true,
    deliver: async (row) => {
      const outcome = await client.push(row.target);
      return outcome.status === 'sent' ? { status: 'sent', answer: outcome.apnsId ? `200 (apns-id ${outcome.apnsId})` : '200' } : outcome;
    },
    forget: async (db, rows) => void (await deleteRegistrationsByToken(db, [...new Set(rows.map((r) => r.target))])),
    close: () => client.close?.() ?? Promise.resolve(),
  };
}

/** The APNs pushes of the outbox, over the client's one HTTP/2 connection. */
export class PushWorker extends OutboxWorker {
  constructor(db: Db, client: PushClient, options: OutboxWorkerOptions = {}) {
    super(db, apnsChannel(client), options);
  }
}
