/** The one-question surveys a customer answers, and the scores each accepts (API.md). */
export const SURVEY_KINDS = ['nps', 'csat', 'ces'] as const;
export type SurveyKind = (typeof SURVEY_KINDS)[number];

/** NPS 0–10 (promoters 9–10, detractors 0–6), CSAT 1–5 (4 and 5 satisfied), CES 1–5 (the mean). */
export const SURVEY_SCALES: Record<SurveyKind, { min: number; max: number }> = {
  nps: { min: 0, max: 10 },
  csat: { min: 1, max: 5 },
  ces: { min: 1, max: 5 },
};
