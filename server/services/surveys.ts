import type { Db } from '../db/index.ts';
import type { ProgramRow } from '../db/queries/programs.ts';
import { insertSurveyAnswer, type SurveyKind } from '../db/queries/survey-answers.ts';

/** The score each survey accepts: NPS 0–10, CSAT and CES 1–5. */
export const SURVEY_SCALES: Record<SurveyKind, { min: number; max: number }> = {
  nps: { min: 0, max: 10 },
  csat: { min: 1, max: 5 },
  ces: { min: 1, max: 5 },
};

export interface SurveyInput {
  kind: SurveyKind;
  score: number;
  comment?: string;
  cardSerial?: string;
}

/** Records one survey answer for a program; a serial that is not one of its cards is dropped. */
export async function answerSurvey(db: Db, program: ProgramRow, input: SurveyInput): Promise<{ id: string }> {
  return insertSurveyAnswer(db, {
    merchantId: program.merchant_id,
    programId: program.id,
    cardSerial: input.cardSerial ?? null,
    kind: input.kind,
    score: input.score,
    comment: input.comment || null,
  });
}
