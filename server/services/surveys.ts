import type { Queryable } from '../db/index.ts';
import { touchAskedCard } from '../db/queries/asks.ts';
import { queueCardUpdates } from '../db/queries/outbox.ts';
import type { ProgramRow } from '../db/queries/programs.ts';
import { insertSurveyAnswer } from '../db/queries/survey-answers.ts';
import type { SurveyKind } from '../domain/surveys.ts';
import type { Deps } from './deps.ts';

export interface SurveyInput {
  kind: SurveyKind;
  score: number;
  comment?: string;
  cardSerial?: string;
}

/**
 * Records one survey answer for a program; a serial that is not one of its cards is dropped. An
 * answer from a card that was asked (after a visit) closes the ask: its pass drops the link.
 */
export async function answerSurvey(deps: Pick<Deps, 'db' | 'outbox'>, program: ProgramRow, input: SurveyInput): Promise<{ id: string }> {
  return answerClosingAsk(deps, program.merchant_id, input.cardSerial, (tx) =>
    insertSurveyAnswer(tx, {
      merchantId: program.merchant_id,
      programId: program.id,
      cardSerial: input.cardSerial ?? null,
      kind: input.kind,
      score: input.score,
      comment: input.comment || null,
    }),
  );
}

/**
 * Writes an answer (a survey's, a review's) and, in the same transaction, renews the pass of the
 * card it came from if that card was asked: the pass's link to the ask goes.
 */
export async function answerClosingAsk<T>(
  deps: Pick<Deps, 'db' | 'outbox'>,
  merchantId: string,
  serial: string | undefined,
  write: (tx: Queryable) => Promise<T>,
): Promise<T> {
  let touched: string | undefined;
  const answer = await deps.db.transaction(async (tx) => {
    const written = await write(tx);
    touched = serial ? await touchAskedCard(tx, merchantId, serial) : undefined;
    if (touched) await queueCardUpdates(tx, [touched]);
    return written;
  });
  if (touched) deps.outbox.wake();
  return answer;
}
