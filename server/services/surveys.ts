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

/** Records one survey answer for a program; a serial that is not one of its cards is dropped. */
export async function answerSurvey({ db }: Pick<Deps, 'db'>, program: ProgramRow, input: SurveyInput): Promise<{ id: string }> {
  return insertSurveyAnswer(db, {
    merchantId: program.merchant_id,
    programId: program.id,
    cardSerial: input.cardSerial ?? null,
    kind: input.kind,
    score: input.score,
    comment: input.comment || null,
  });
}
