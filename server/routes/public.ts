import { Hono } from 'hono';
import { z } from 'zod';
import { getCardBySerial } from '../db/queries/cards.ts';
import { getProgramBySlug } from '../db/queries/programs.ts';
import { notFound } from '../errors.ts';
import { clientIp } from '../http/client.ts';
import { preflight, publicCors } from '../http/cors.ts';
import type { Deps } from '../http/env.ts';
import { valid } from '../http/validate.ts';
import { cardLinks, getPublicCard, joinProgram } from '../services/cards.ts';
import { enforceRateLimit, LIMITS } from '../services/rate-limit.ts';
import { SERIAL_PATTERN } from '../services/tokens.ts';

const slugParam = z.object({ slug: z.string().max(64) });
const serialParam = z.object({ serial: z.string().max(64) });

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

/** The public API, called by the widget from merchant sites (CORS: each program's allowed origins). */
export function publicRoutes(deps: Deps) {
  const { db, config } = deps;
  const app = new Hono();

  const programOrigins = async (slug: string) => (await getProgramBySlug(db, slug))?.program.allowedOrigins;
  const cardOrigins = async (serial: string) =>
    SERIAL_PATTERN.test(serial) ? (await getCardBySerial(db, serial))?.program.allowedOrigins : undefined;

  app.options('/programs/:slug/*', async (c) => preflight(c, config, (await programOrigins(c.req.param('slug'))) ?? []));
  app.options('/cards/:serial/*', async (c) => preflight(c, config, (await cardOrigins(c.req.param('serial'))) ?? []));
  app.options('/cards/:serial', async (c) => preflight(c, config, (await cardOrigins(c.req.param('serial'))) ?? []));

  app.post('/programs/:slug/signup', valid('param', slugParam), valid('json', signupBody), async (c) => {
    const { slug } = c.req.valid('param');
    const program = await getProgramBySlug(db, slug);
    if (!program) throw notFound('No program with this name.');
    publicCors(c, config, program.program.allowedOrigins, { write: true });
    await enforceRateLimit(db, LIMITS.signupPerIp, clientIp(c, config.trustProxy));
    await enforceRateLimit(db, LIMITS.signupPerProgram, slug);
    const body = c.req.valid('json');
    const { serial, card } = await joinProgram(db, slug, {
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

  app.get('/cards/:serial', valid('param', serialParam), async (c) => {
    const { serial } = c.req.valid('param');
    const { card, program } = await getPublicCard(db, serial);
    publicCors(c, config, program.allowedOrigins, { write: false });
    c.header('Cache-Control', 'no-store');
    return c.json({ card, links: cardLinks(config, serial) });
  });

  return app;
}
