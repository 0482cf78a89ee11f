import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { listCustomers } from '../db/queries/customers.ts';
import { programSchema } from '../domain/program.ts';
import { authenticate, clearSessionCookie, refuseForeignOrigin, requireOwner, sessionIdFrom, setSessionCookie } from '../http/auth.ts';
import { clientIp } from '../http/client.ts';
import { cursor } from '../http/cursor.ts';
import type { AppEnv, Deps } from '../http/env.ts';
import { valid } from '../http/validate.ts';
import { adjustCard, type CardWrite, getMerchantCard, purchase, redeemReward, stampCard } from '../services/cards.ts';
import { requestHash } from '../services/idempotency.ts';
import {
  addStaff,
  authenticate as checkPassword,
  removeStaff,
  createApiKey,
  endSession,
  broadcastMessage,
  getProgram,
  messageReach,
  saveProgram,
  signUpMerchant,
  startSession,
} from '../services/merchants.ts';
import { enforceRateLimit, LIMITS } from '../services/rate-limit.ts';
import { customerDetail, customersCsv, eraseCustomer } from '../services/customers.ts';
import { merchantReviews, moderateReview } from '../services/reviews.ts';
import { merchantKpis, periodTooLong } from '../services/kpis.ts';
import { getStaff, listStaff } from '../db/queries/staff.ts';
import { getMerchant } from '../db/queries/merchants.ts';
import { logoType, removeLogo, saveLogo } from '../services/logos.ts';

const email = z.string().trim().toLowerCase().max(254).email();
const password = z.string().min(10, 'must be at least 10 characters').max(200);
const minor = z.number().int().min(0).max(1e10);

const signupBody = z.object({
  businessName: z.string().trim().min(1).max(100),
  email,
  password,
  locale: z.enum(['en', 'fr']).optional(),
});
const loginBody = z.object({ email, password: z.string().min(1).max(200) });
const apiKeyBody = z.object({ name: z.string().trim().min(1).max(100) });
const stampBody = z.object({ count: z.number().int().min(1).max(50).default(1), purchaseAmount: minor.optional() });
const positiveMinor = minor.refine((n) => n > 0, 'must be more than 0');
const purchaseBody = z.object({ amount: positiveMinor });
// delta in the program's unit; the bound per unit (1000 stamps, 1e6 points, 1e8 minor) is the domain's (`adjust`).
const adjustmentBody = z.object({
  delta: z
    .number()
    .int()
    .min(-1e8)
    .max(1e8)
    .refine((n) => n !== 0, 'must not be 0'),
  reason: z.string().trim().min(1, 'say why').max(200),
});
const redemptionBody = z.object({ rewardId: z.string().min(1).max(40).optional(), amount: positiveMinor.optional() });
const customersQuery = z.object({
  q: z.string().trim().max(100).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
const reviewsQuery = z.object({
  status: z.enum(['pending', 'approved', 'rejected']).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
// Any string: a malformed id is a review that does not exist (404), not a bad request.
const reviewParam = z.object({ id: z.string() });
const moderationBody = z.object({ status: z.enum(['approved', 'rejected']) });
const messageBody = z.object({ text: z.string().trim().min(1).max(300) });
const staffBody = z.object({ email, password });
const idempotencyKey = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')
  .optional();

/** The merchant API: dashboard (session cookie + CSRF) and POS (bearer API key). */
export function merchantRoutes(deps: Deps) {
  const { db, config } = deps;
  const app = new Hono<AppEnv>();

  app.post('/signup', valid('json', signupBody), async (c) => {
    refuseForeignOrigin(c, deps);
    await enforceRateLimit(db, LIMITS.merchantSignupPerIp, clientIp(c, config.trustProxy));
    const body = c.req.valid('json');
    const { merchant, program, userId } = await signUpMerchant(db, body);
    const session = await startSession(db, userId, merchant.id);
    await setSessionCookie(c, deps, session.id);
    return c.json({ merchant: { id: merchant.id, name: merchant.name, email: merchant.email }, program }, 201);
  });

  app.post('/login', valid('json', loginBody), async (c) => {
    refuseForeignOrigin(c, deps);
    const { email, password } = c.req.valid('json');
    await enforceRateLimit(db, LIMITS.loginPerIp, clientIp(c, config.trustProxy));
    await enforceRateLimit(db, LIMITS.loginPerEmail, email);
    const user = await checkPassword(db, email, password);
    const session = await startSession(db, user.userId, user.merchantId);
    await setSessionCookie(c, deps, session.id);
    const merchant = await getMerchant(db, user.merchantId);
    return c.json({ merchant: merchant && { id: merchant.id, name: merchant.name, email: merchant.email } }, 200);
  });

  app.post('/logout', async (c) => {
    refuseForeignOrigin(c, deps);
    const sessionId = await sessionIdFrom(c, deps);
    if (sessionId) await endSession(db, sessionId);
    clearSessionCookie(c);
    return c.body(null, 204);
  });

  /** A write to cards committed: the push workers may have pushes to send. */
  const written = async <T>(result: Promise<T>): Promise<T> => {
    const r = await result;
    deps.push?.wake();
    return r;
  };

  // Everything below needs a session or an API key.
  app.use('*', authenticate(deps));

  // Who is signed in: the dashboard shows owner-only screens to the owner only.
  app.get('/me', async (c) => {
    const { merchantId, role, actor, via } = c.var.principal;
    const merchant = await getMerchant(db, merchantId);
    const user = actor.startsWith('user:') ? await getStaff(db, merchantId, actor.slice(5)) : undefined;
    return c.json({
      merchant: merchant && { id: merchant.id, name: merchant.name, email: merchant.email },
      user: user ? { id: user.id, email: user.email, role: user.role } : null,
      role,
      via,
    });
  });

  app.get('/program', async (c) => {
    return c.json({ program: await getProgram(db, c.var.principal.merchantId) });
  });

  // ISO days, `to` inclusive; none = all time. Any principal of the merchant (owner, staff, API key).
  const isoDay = z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
    .refine((d) => {
      const t = Date.parse(`${d}T00:00:00Z`);
      return d >= '1900-01-01' && d <= '2999-12-31' && !Number.isNaN(t) && new Date(t).toISOString().startsWith(d);
    }, 'not a valid date (1900–2999)');
  const kpisQuery = z.object({ from: isoDay.optional(), to: isoDay.optional() }).superRefine((v, ctx) => {
    if (v.from === undefined || v.to === undefined) return;
    if (v.from > v.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
    else if (periodTooLong(v.from, v.to)) ctx.addIssue({ code: 'custom', path: ['to'], message: 'the period must be at most 5 years' });
  });

  app.get('/kpis', valid('query', kpisQuery), async (c) => {
    return c.json(await merchantKpis(db, c.var.principal.merchantId, c.req.valid('query')));
  });

  app.put('/program', valid('json', programSchema), async (c) => {
    requireOwner(c.var.principal);
    const body = c.req.valid('json');
    return c.json({ program: await written(saveProgram(db, c.var.principal.merchantId, body)) });
  });

  // A short text on every member's pass, with a lock-screen notification.
  app.post('/messages', valid('json', messageBody), async (c) => {
    requireOwner(c.var.principal);
    const reached = await written(broadcastMessage(db, c.var.principal.merchantId, c.req.valid('json').text));
    return c.json({ passes: reached.cards, devices: reached.devices }, 202);
  });

  // Before sending: how many passes (cards) and Apple Wallet devices a message would reach.
  app.get('/messages/reach', async (c) => {
    requireOwner(c.var.principal);
    return c.json(await messageReach(db, c.var.principal.merchantId));
  });

  app.post('/api-keys', valid('json', apiKeyBody), async (c) => {
    requireOwner(c.var.principal);
    const { name } = c.req.valid('json');
    return c.json(await createApiKey(db, c.var.principal.merchantId, name), 201);
  });

  app.get('/customers', valid('query', customersQuery), async (c) => {
    const { q, cursor: after, limit } = c.req.valid('query');
    const rows = await listCustomers(db, c.var.principal.merchantId, {
      search: q || undefined,
      after: after ? cursor.decode(after) : undefined,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return c.json({
      customers: page.map((r) => ({
        id: r.id,
        name: r.name,
        email: r.email,
        phone: r.phone,
        marketingConsent: r.marketing_consent,
        createdAt: r.created_at.toISOString(),
        card: {
          serial: r.serial,
          stamps: r.stamps,
          rewardsAvailable: r.rewards_available,
          points: r.points,
          tier: r.tier,
          cashbackBalance: r.cashback_minor,
          spend: r.spend_minor,
          updatedAt: r.updated_at.toISOString(),
        },
      })),
      nextCursor: rows.length > limit && last ? cursor.encode(last.cursor_at, last.id) : null,
    });
  });

  app.get('/reviews', valid('query', reviewsQuery), async (c) => {
    const { status, cursor: after, limit } = c.req.valid('query');
    const { items, next } = await merchantReviews(db, c.var.principal.merchantId, {
      status,
      after: after ? cursor.decode(after) : undefined,
      limit,
    });
    return c.json({ reviews: items, nextCursor: next && cursor.encode(next.at, next.id) });
  });

  app.patch('/reviews/:id', valid('param', reviewParam), valid('json', moderationBody), async (c) => {
    requireOwner(c.var.principal);
    const { id } = c.req.valid('param');
    const { status } = c.req.valid('json');
    return c.json({ review: await moderateReview(db, c.var.principal.merchantId, id, status) });
  });

  const serialParam = z.object({ serial: z.string().max(64) });
  const keyHeader = z.object({ 'idempotency-key': idempotencyKey });

  /** Who writes to which card; with an Idempotency-Key, the fingerprint of this request. */
  const cardWrite = (c: Context<AppEnv>, serial: string, body: unknown): CardWrite => {
    const key = c.req.header('idempotency-key');
    const { merchantId, actor } = c.var.principal;
    return {
      merchantId,
      serial,
      actor,
      idempotency: key === undefined ? undefined : { key, hash: requestHash(c.req.method, c.req.path, body) },
    };
  };

  app.post('/cards/:serial/stamps', valid('param', serialParam), valid('header', keyHeader), valid('json', stampBody), async (c) => {
    const body = c.req.valid('json');
    const w = cardWrite(c, c.req.valid('param').serial, body);
    return c.json(await written(db.transaction((tx) => stampCard(tx, w, { count: body.count, purchaseAmountMinor: body.purchaseAmount }))));
  });

  app.post('/cards/:serial/purchases', valid('param', serialParam), valid('header', keyHeader), valid('json', purchaseBody), async (c) => {
    const body = c.req.valid('json');
    const w = cardWrite(c, c.req.valid('param').serial, body);
    return c.json(await written(db.transaction((tx) => purchase(tx, w, { amountMinor: body.amount }))));
  });

  app.post(
    '/cards/:serial/redemptions',
    valid('param', serialParam),
    valid('header', keyHeader),
    valid('json', redemptionBody),
    async (c) => {
      const body = c.req.valid('json');
      const w = cardWrite(c, c.req.valid('param').serial, body);
      return c.json(await written(db.transaction((tx) => redeemReward(tx, w, { rewardId: body.rewardId, amountMinor: body.amount }))));
    },
  );

  // The owner corrects a card by hand, saying why (a forgotten stamp, a goodwill gesture, a mistake).
  app.post(
    '/cards/:serial/adjustments',
    valid('param', serialParam),
    valid('header', keyHeader),
    valid('json', adjustmentBody),
    async (c) => {
      requireOwner(c.var.principal);
      const body = c.req.valid('json');
      const w = cardWrite(c, c.req.valid('param').serial, body);
      return c.json(await written(db.transaction((tx) => adjustCard(tx, w, body))));
    },
  );

  // A customer's page: the card and its history. Staff look customers up too.
  app.get('/customers/:id', async (c) => {
    return c.json(await customerDetail(db, c.var.principal.merchantId, c.req.param('id')));
  });

  // Erasure (GDPR): the customer, the card and its history, for good. The dashboard confirms first.
  app.delete('/customers/:id', async (c) => {
    requireOwner(c.var.principal);
    await eraseCustomer(db, c.var.principal.merchantId, c.req.param('id'));
    return c.body(null, 204);
  });

  app.get('/export/customers.csv', async (c) => {
    requireOwner(c.var.principal);
    const csv = await customersCsv(db, c.var.principal.merchantId);
    return c.body(csv, 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': 'attachment; filename="customers.csv"',
      'Cache-Control': 'no-store',
    });
  });

  app.get('/staff', async (c) => {
    requireOwner(c.var.principal);
    const staff = await listStaff(db, c.var.principal.merchantId);
    return c.json({ staff: staff.map((s) => ({ id: s.id, email: s.email, role: s.role, createdAt: s.created_at.toISOString() })) });
  });

  app.post('/staff', valid('json', staffBody), async (c) => {
    requireOwner(c.var.principal);
    return c.json(await addStaff(db, c.var.principal.merchantId, c.req.valid('json')), 201);
  });

  // A staff account leaves: its sessions end with it. Owners are not removed here.
  app.delete('/staff/:id', async (c) => {
    requireOwner(c.var.principal);
    await removeStaff(db, c.var.principal.merchantId, c.req.param('id'));
    return c.body(null, 204);
  });

  // The counter looks a card up before stamping it: this merchant's cards only (another's is 404, like an unknown serial).
  app.get('/cards/:serial', valid('param', serialParam), async (c) => {
    return c.json(await getMerchantCard(db, c.var.principal.merchantId, c.req.valid('param').serial));
  });

  // The program's logo: a raw PNG or JPEG body (app.ts lets this path through with 2 MB and no JSON check).
  app.put('/program/logo', async (c) => {
    requireOwner(c.var.principal);
    const type = logoType(c.req.header('content-type'));
    const bytes = Buffer.from(await c.req.arrayBuffer());
    return c.json(await written(saveLogo(db, config, c.var.principal.merchantId, bytes, type)));
  });

  app.delete('/program/logo', async (c) => {
    requireOwner(c.var.principal);
    await written(removeLogo(db, c.var.principal.merchantId));
    return c.body(null, 204);
  });

  return app;
}
