import type { SurveyKind } from '../../domain/surveys.ts';
import type { Queryable } from '../index.ts';

/**
 * Stores one survey answer. `cardSerial` is kept only when it is a card of this program;
 * anything else is stored as no card.
 */
export async function insertSurveyAnswer(
  q: Queryable,
  a: { merchantId: string; programId: string; cardSerial: string | null; kind: SurveyKind; score: number; comment: string | null },
): Promise<{ id: string }> {
  const { rows } = await q.query<{ id: string }>(
    `INSERT INTO survey_answers (merchant_id, card_id, kind, score, comment)
     VALUES ($1, (SELECT id FROM cards WHERE program_id = $2 AND serial = $3), $4, $5, $6)
     RETURNING id`,
    [a.merchantId, a.programId, a.cardSerial, a.kind, a.score, a.comment],
    'insertSurveyAnswer',
  );
  return rows[0]!;
}
