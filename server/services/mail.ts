// E-mail as the application sees it: a member who lost their card asks for it again. Every mail
// is queued in the outbox, in the transaction that causes it, and sent by the mail worker
// (server/mail/): nothing here waits on an SMTP server.
import { queueRecoveryMail } from '../db/queries/mail.ts';
import type { ProgramRow } from '../db/queries/programs.ts';
import { AppError } from '../errors.ts';
import type { Deps } from './deps.ts';

function mailOn(deps: Pick<Deps, 'config'>): void {
  if (!deps.config.mail) throw new AppError('unavailable', 'This server does not send e-mail.');
}

/**
 * A card-recovery mail to the program's member with this address, if there is one. The caller
 * learns nothing either way: a member and a stranger take the same path (the same one-row write,
 * one commit, one bell) and get the same answer; the mail worker looks the member up, and drops a
 * stranger's request without sending anything.
 */
export async function requestCardRecovery(deps: Deps, program: Pick<ProgramRow, 'merchant_id'>, email: string): Promise<void> {
  mailOn(deps);
  await deps.db.transaction((tx) => queueRecoveryMail(tx, program.merchant_id, email));
  deps.outbox.wake();
}
