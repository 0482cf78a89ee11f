import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { getCardBySerial } from '../db/queries/cards.ts';
import { getProgramBySlug, getProgramWithMerchantBySlug, type ProgramRow } from '../db/queries/programs.ts';
import { notFound } from '../errors.ts';
import { clientIp } from '../http/client.ts';
import { preflight, publicCors } from '../http/cors.ts';
import { cursor } from '../http/cursor.ts';
import type { Deps } from '../http/env.ts';
import { valid } from '../http/validate.ts';
import { cardLinks, getCardQrSvg, getPublicCard, joinProgram } from '../services/cards.ts';
import { publicProgramView } from '../services/programs.ts';
import { enforceRateLimit, type Limit, LIMITS } from '../services/rate-limit.ts';
import { getReferral } from '../services/referrals.ts';
import { publicReviews, submitReview } from '../services/reviews.ts';
import { answerSurvey, SURVEY_SCALES } from '../services/surveys.ts';
import { SERIAL_PATTERN } from '../services/tokens.ts';

const serialParam = z.object({ serial: z.string().max(64) });
/** What `slugify` makes (and a little more); anything else names no program. */
const SLUG_PATTERN = /^[a-z0-9-]{1,64}$/;

const signupBody = z.object({
  name: z.string().trim().min(1).max(100),
  email: z.string().trim().toLowerCase().max(254).email(),
  phone: z
    .string()
    .trim()
    .max(32)
    .regex(/^\+?[\d\s().-]{4,32}$/, 'must be a phone number')
    .optional(),
  birthday: z.iso
    .date('must be a date like 1990-04-21')
    .refine((d) => d >= '1900-01-01' && d <= new Date().toISOString().slice(0, 10), 'must be a real birthday')
    .optional(),
  consent: z.object({
    terms: z.literal(true, 'the terms must be accepted'),
    marketing: z.boolean().default(false),
  }),
  referralCode: z.string().trim().max(32).optional(),
  locale: z.enum(['en', 'fr']).optional(),
});

/** A card the customer says is theirs; one that is not a card of the program is ignored. */
const cardSerial = z.string().max(64).nullish();

const reviewBody = z.object({
  rating: z.number().int().min(1).max(5),
  text: z.string().trim().max(2000).nullish(),
  name: z.string().trim().max(100).nullish(),
  cardSerial,
});

const reviewsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(50).default(10),
  cursor: z.string().max(200).optional(),
});

const surveyBody = z
  .object({
    kind: z.enum(['nps', 'csat', 'ces']),
    score: z.number().int(),
    comment: z.string().trim().max(1000).nullish(),
    cardSerial,
  })
  .superRefine((b, ctx) => {
    const { min, max } = SURVEY_SCALES[b.kind];
    if (b.score < min || b.score > max) {
      ctx.addIssue({ code: 'custom', path: ['score'], message: `must be a whole number from ${min} to ${max} for ${b.kind}` });
    }
  });

type PublicEnv = { Variables: { program: ProgramRow & { merchant_name: string } } };

/** The public API, called by the widget from merchant sites (CORS: each program's allowed origins). */
export function publicRoutes(deps: Deps) {
  const { db, config } = deps;
  const app = new Hono<PublicEnv>();

  const programOrigins = async (slug: string) =>
    SLUG_PATTERN.test(slug) ? (await getProgramBySlug(db, slug))?.program.allowedOrigins : undefined;
  const cardOrigins = async (serial: string) =>
    SERIAL_PATTERN.test(serial) ? (await getCardBySerial(db, serial))?.program.allowedOrigins : undefined;

  app.options('/programs/:slug', async (c) => preflight(c, config, (await programOrigins(c.req.param('slug'))) ?? []));
  app.options('/programs/:slug/*', async (c) => preflight(c, config, (await programOrigins(c.req.param('slug'))) ?? []));
  app.options('/cards/:serial/*', async (c) => preflight(c, config, (await cardOrigins(c.req.param('serial'))) ?? []));
  app.options('/cards/:serial', async (c) => preflight(c, config, (await cardOrigins(c.req.param('serial'))) ?? []));

  /**
   * Loads the program named by `:slug` (404 when none) and applies its CORS before anything
   * else: a write from a foreign site is refused with 403 before its body is even validated.
   */
  const program =
    (opts: { write: boolean }): MiddlewareHandler<PublicEnv> =>
    async (c, next) => {
      const slug = c.req.param('slug') ?? '';
      const row = SLUG_PATTERN.test(slug) ? await getProgramWithMerchantBySlug(db, slug) : undefined;
      if (!row) throw notFound('No program with this name.');
      publicCors(c, config, row.program.allowedOrigins, opts);
      c.set('program', row);
      await next();
    };

  /** Per IP, then per program: one IP cannot use up a program's allowance alone. */
  const limit = async (c: Context<PublicEnv>, perIp: Limit, perProgram: Limit) => {
    await enforceRateLimit(db, perIp, clientIp(c, config.trustProxy));
    await enforceRateLimit(db, perProgram, c.var.program.program.slug);
  };

  app.get('/programs/:slug', program({ write: false }), async (c) => {
    c.header('Cache-Control', 'public, max-age=60');
    return c.json(publicProgramView(c.var.program));
  });

  app.post('/programs/:slug/signup', program({ write: true }), valid('json', signupBody), async (c) => {
    await limit(c, LIMITS.signupPerIp, LIMITS.signupPerProgram);
    const body = c.req.valid('json');
    const { serial, card } = await joinProgram(db, c.var.program, {
      name: body.name,
      email: body.email,
      phone: body.phone,
      birthday: body.birthday,
      locale: body.locale,
      marketingConsent: body.consent.marketing,
      referralCode: body.referralCode,
    });
    return c.json({ card, links: cardLinks(config, serial) }, 201);
  });

  app.post('/programs/:slug/reviews', program({ write: true }), valid('json', reviewBody), async (c) => {
    await limit(c, LIMITS.reviewPerIp, LIMITS.reviewPerProgram);
    const body = c.req.valid('json');
    const review = await submitReview(db, c.var.program, {
      rating: body.rating,
      text: body.text ?? undefined,
      name: body.name ?? undefined,
      cardSerial: body.cardSerial ?? undefined,
    });
    return c.json(review, 201);
  });

  app.get('/programs/:slug/reviews', program({ write: false }), valid('query', reviewsQuery), async (c) => {
    const { limit: size, cursor: after } = c.req.valid('query');
    const { next, ...reviews } = await publicReviews(db, c.var.program, {
      after: after ? cursor.decode(after) : undefined,
      limit: size,
    });
    c.header('Cache-Control', 'public, max-age=60');
    return c.json({ ...reviews, nextCursor: next && cursor.encode(next.at, next.id) });
  });

  app.post('/programs/:slug/surveys', program({ write: true }), valid('json', surveyBody), async (c) => {
    await limit(c, LIMITS.surveyPerIp, LIMITS.surveyPerProgram);
    const body = c.req.valid('json');
    const answer = await answerSurvey(db, c.var.program, {
      kind: body.kind,
      score: body.score,
      comment: body.comment ?? undefined,
      cardSerial: body.cardSerial ?? undefined,
    });
    return c.json({ id: answer.id }, 201);
  });

  app.get('/cards/:serial', valid('param', serialParam), async (c) => {
    const { serial } = c.req.valid('param');
    const { card, program } = await getPublicCard(db, serial);
    publicCors(c, config, program.allowedOrigins, { write: false });
    c.header('Cache-Control', 'no-store');
    return c.json({ card, links: cardLinks(config, serial) });
  });

  app.get('/cards/:serial/qr.svg', valid('param', serialParam), async (c) => {
    const { serial } = c.req.valid('param');
    const { svg, program } = await getCardQrSvg(db, serial);
    publicCors(c, config, program.allowedOrigins, { write: false });
    // The serial never changes, so neither does its picture.
    c.header('Cache-Control', 'public, max-age=31536000, immutable');
    c.header('Content-Security-Policy', "default-src 'none'");
    return c.body(svg, 200, { 'Content-Type': 'image/svg+xml; charset=utf-8' });
  });

  app.get('/cards/:serial/referral', valid('param', serialParam), async (c) => {
    const { serial } = c.req.valid('param');
    const { referral, program } = await getReferral(db, config, serial);
    publicCors(c, config, program.allowedOrigins, { write: false });
    c.header('Cache-Control', 'no-store');
    return c.json(referral);
  });

  return app;
}
