import { createHash } from 'node:crypto';
import { createRoute } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import {
  cardAnswerSchema,
  createdSchema,
  programQuery,
  publicProgramSchema,
  recoverBody,
  recoveryAcceptedSchema,
  referralQuery,
  referralSchema,
  reviewBody,
  reviewCreatedSchema,
  reviewsPageSchema,
  reviewsQuery,
  signupBody,
  slugParams,
  surveyBody,
} from '../contract/public.ts';
import { json, jsonBody, problems, serialParams } from '../contract/shared.ts';
import { clientIp } from '../http/client.ts';
import { preflight, publicCors } from '../http/cors.ts';
import { cursor } from '../http/cursor.ts';
import type { Deps } from '../http/env.ts';
import { requestLanguage } from '../http/language.ts';
import { apiApp } from '../http/validate.ts';
import { availableWallets, cardOrigins, getCardQrSvg, getPublicCard } from '../services/cards.ts';
import { joinProgram } from '../services/join.ts';
import { requestCardRecovery } from '../services/mail.ts';
import { type ProgramWithMerchant, programBySlug, programOrigins, publicProgram } from '../services/programs.ts';
import { enforceRateLimit, type Limit, LIMITS } from '../services/rate-limit.ts';
import { getReferral } from '../services/referrals.ts';
import { publicReviews, submitReview } from '../services/reviews.ts';
import { answerSurvey } from '../services/surveys.ts';

type PublicEnv = { Variables: { program: ProgramWithMerchant } };

const tags = ['Public API'];

/** The public API, called by the widget from merchant sites (CORS: each program's allowed origins). */
export function publicRoutes(deps: Deps) {
  const { config } = deps;
  const app = apiApp<PublicEnv>();

  // Preflights: CORS for the program's (or the card's program's) allowed origins.
  const programPreflight = async (c: Context) => preflight(c, config, (await programOrigins(deps, c.req.param('slug') ?? '')) ?? []);
  const cardPreflight = async (c: Context) => preflight(c, config, (await cardOrigins(deps, c.req.param('serial') ?? '')) ?? []);
  app.options('/programs/:slug', programPreflight);
  app.options('/programs/:slug/*', programPreflight);
  app.options('/cards/:serial', cardPreflight);
  app.options('/cards/:serial/*', cardPreflight);

  /**
   * Loads the program named by `:slug` (not found when none) and applies its CORS before
   * anything else: a write from a foreign site is refused before its body is even validated.
   */
  const program =
    (opts: { write: boolean }): MiddlewareHandler<PublicEnv> =>
    async (c, next) => {
      const row = await programBySlug(deps, c.req.param('slug') ?? '');
      publicCors(c, config, row.program.allowedOrigins, opts);
      c.set('program', row);
      await next();
    };

  /** Per IP, then per program: one IP cannot use up a program's allowance alone. */
  const limit = async (c: Context<PublicEnv>, perIp: Limit, perProgram: Limit) => {
    await enforceRateLimit(deps, perIp, clientIp(c, config.trustProxy));
    await enforceRateLimit(deps, perProgram, c.var.program.program.slug);
  };

  app.openapi(
    createRoute({
      method: 'get',
      path: '/programs/{slug}',
      tags,
      summary: 'A program, as the widget shows it',
      description: 'With `?ref=` a member’s code (the page the widget is on was opened from their link), the invitation too.',
      middleware: [program({ write: false })],
      request: { params: slugParams, query: programQuery },
      responses: { 200: json(publicProgramSchema, 'The program (cached for a minute).'), ...problems('not_found') },
    }),
    async (c) => {
      const view = await publicProgram(deps, c.var.program, c.req.valid('query').ref);
      // An invitation names a member: kept by the browser only, never by a shared cache.
      c.header('Cache-Control', `${view.invitation ? 'private' : 'public'}, max-age=60`);
      return c.json(view, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/programs/{slug}/signup',
      tags,
      summary: 'Join a program',
      description: 'Rate limited per IP (20 a minute) and per program. The referral is paid on the new member’s first visit.',
      middleware: [program({ write: true })],
      request: { params: slugParams, body: jsonBody(signupBody) },
      responses: {
        201: json(cardAnswerSchema, 'The new card and its links.'),
        ...problems('validation_failed', 'forbidden', 'not_found', 'already_member', 'rate_limited'),
      },
    }),
    async (c) => {
      await limit(c, LIMITS.signupPerIp, LIMITS.signupPerProgram);
      const body = c.req.valid('json');
      const { card, links } = await joinProgram(deps, c.var.program, {
        name: body.name,
        email: body.email,
        phone: body.phone,
        birthday: body.birthday,
        locale: body.locale,
        marketingConsent: body.consent.marketing,
        referralCode: body.referralCode,
      });
      // A new card has had no visit: nothing to ask yet.
      return c.json({ card, links, wallets: availableWallets(deps), ask: null }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/programs/{slug}/recover',
      tags,
      summary: 'Mail a member the link to their card',
      description:
        'When the address is a member’s, a mail with the link to the card’s page goes out (in the background: the answer does not ' +
        'wait for it). The answer is the same either way, so it tells nobody who is a member. Rate limited per IP (20 an hour) and ' +
        'per address (3 an hour, members or not).',
      middleware: [program({ write: true })],
      request: { params: slugParams, body: jsonBody(recoverBody) },
      responses: {
        202: json(recoveryAcceptedSchema, 'Accepted (a member or not).'),
        ...problems('validation_failed', 'forbidden', 'not_found', 'rate_limited', 'unavailable'),
      },
    }),
    async (c) => {
      const { email } = c.req.valid('json');
      await requestCardRecovery(deps, c.var.program, email, { ip: clientIp(c, config.trustProxy) });
      return c.json({ status: 'accepted' as const, detail: 'If this address is a member’s, the link to the card is on its way.' }, 202);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/programs/{slug}/reviews',
      tags,
      summary: 'Leave a review',
      description: 'Pending until the owner approves it. Rate limited per IP (10 a minute) and per program.',
      middleware: [program({ write: true })],
      request: { params: slugParams, body: jsonBody(reviewBody) },
      responses: {
        201: json(reviewCreatedSchema, 'The review, pending moderation.'),
        ...problems('validation_failed', 'forbidden', 'not_found', 'rate_limited'),
      },
    }),
    async (c) => {
      await limit(c, LIMITS.reviewPerIp, LIMITS.reviewPerProgram);
      const body = c.req.valid('json');
      const review = await submitReview(deps, c.var.program, {
        rating: body.rating,
        text: body.text ?? undefined,
        name: body.name ?? undefined,
        cardSerial: body.cardSerial ?? undefined,
      });
      return c.json(review, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/programs/{slug}/reviews',
      tags,
      summary: 'The approved reviews',
      middleware: [program({ write: false })],
      request: { params: slugParams, query: reviewsQuery },
      responses: {
        200: json(reviewsPageSchema, 'A page of approved reviews, newest first.'),
        ...problems('validation_failed', 'not_found'),
      },
    }),
    async (c) => {
      const { limit: size, cursor: after } = c.req.valid('query');
      const { next, ...reviews } = await publicReviews(deps, c.var.program, {
        after: after ? cursor.decode(after) : undefined,
        limit: size,
      });
      c.header('Cache-Control', 'public, max-age=60');
      return c.json({ ...reviews, nextCursor: next && cursor.encode(next.at, next.id) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/programs/{slug}/surveys',
      tags,
      summary: 'Answer a survey (NPS, CSAT or CES)',
      middleware: [program({ write: true })],
      request: { params: slugParams, body: jsonBody(surveyBody) },
      responses: {
        201: json(createdSchema, 'The answer was recorded.'),
        ...problems('validation_failed', 'forbidden', 'not_found', 'rate_limited'),
      },
    }),
    async (c) => {
      await limit(c, LIMITS.surveyPerIp, LIMITS.surveyPerProgram);
      const body = c.req.valid('json');
      const answer = await answerSurvey(deps, c.var.program, {
        kind: body.kind,
        score: body.score,
        comment: body.comment ?? undefined,
        cardSerial: body.cardSerial ?? undefined,
      });
      return c.json({ id: answer.id }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/cards/{serial}',
      tags,
      summary: 'A card and its links',
      request: { params: serialParams },
      responses: { 200: json(cardAnswerSchema, 'The card as it is now (never cached).'), ...problems('not_found') },
    }),
    async (c) => {
      const { program, ...answer } = await getPublicCard(deps, c.req.valid('param').serial);
      publicCors(c, config, program.allowedOrigins, { write: false });
      c.header('Cache-Control', 'no-store');
      return c.json(answer, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/cards/{serial}/qr.svg',
      tags,
      summary: 'A card’s QR code',
      request: { params: serialParams },
      responses: {
        200: {
          description:
            'The serial as a QR code, with an ETag: kept by the browser only, and asked again each time (a 304 while the card exists).',
          content: { 'image/svg+xml': { schema: { type: 'string' } } },
        },
        304: { description: 'The picture the browser holds is still the card’s.' },
        ...problems('not_found'),
      },
    }),
    async (c) => {
      const { svg, program } = await getCardQrSvg(deps, c.req.valid('param').serial);
      publicCors(c, config, program.allowedOrigins, { write: false });
      // The serial never changes, so neither does its picture; but the card can be erased, and its
      // QR code must go with it: no shared cache keeps it, and the browser asks again every time
      // (a 304 while the card exists, a 404 once it is erased).
      const etag = `"${createHash('sha256').update(svg).digest('base64url').slice(0, 16)}"`;
      c.header('Cache-Control', 'private, no-cache');
      c.header('ETag', etag);
      if (
        c.req
          .header('if-none-match')
          ?.split(/\s*,\s*/)
          .includes(etag)
      )
        return c.body(null, 304);
      c.header('Content-Security-Policy', "default-src 'none'");
      return c.body(svg, 200, { 'Content-Type': 'image/svg+xml; charset=utf-8' });
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/cards/{serial}/referral',
      tags,
      summary: 'A card’s referral link and how its invitations went',
      description: 'With what the friend and the member earn in words, in `?lang=` (the widget’s language), else the `Accept-Language`.',
      request: { params: serialParams, query: referralQuery },
      responses: {
        200: json(referralSchema, 'The code, the link, the counts and what they earn.'),
        ...problems('validation_failed', 'not_found'),
      },
    }),
    async (c) => {
      const { referral, program } = await getReferral(deps, c.req.valid('param').serial, c.req.valid('query').lang ?? requestLanguage(c));
      publicCors(c, config, program.allowedOrigins, { write: false });
      c.header('Cache-Control', 'no-store');
      return c.json(referral, 200);
    },
  );

  return app;
}
