import {
  getApprovedReviewSummary,
  insertReview,
  listApprovedReviews,
  listMerchantReviews,
  type ReviewKeyset,
  type ReviewRow,
  type ReviewStatus,
  setReviewStatus,
} from '../db/queries/reviews.ts';
import type { ProgramRow } from '../db/queries/programs.ts';
import { notFound } from '../errors.ts';
import type { Deps } from './deps.ts';
import { webhookEvent } from './webhooks.ts';
import { queueWebhookEvents } from '../db/queries/webhooks.ts';
import { answerClosingAsk } from './surveys.ts';
import { isUuid } from './tokens.ts';

export interface ReviewInput {
  rating: number;
  text?: string;
  name?: string;
  cardSerial?: string;
}

/** A review as the merchant moderates it. */
export interface ReviewView {
  id: string;
  rating: number;
  text: string | null;
  name: string | null;
  status: ReviewStatus;
  verified: boolean;
  createdAt: string;
  moderatedAt: string | null;
  customerName: string | null;
}

/** A page of a list plus where the next one starts (null on the last page). */
interface Page<T> {
  items: T[];
  next: ReviewKeyset | null;
}

function page<R extends { id: string; cursor_at: string }, T>(rows: R[], limit: number, view: (r: R) => T): Page<T> {
  const kept = rows.slice(0, limit);
  const last = kept.at(-1);
  return { items: kept.map(view), next: rows.length > limit && last ? { at: last.cursor_at, id: last.id } : null };
}

/**
 * A customer's review of a program: stored as written (the widget shows it as text), pending
 * until the owner approves it. Every reviewer is offered the Google review link, whatever
 * the rating.
 */
export async function submitReview(deps: Pick<Deps, 'db' | 'outbox'>, program: ProgramRow, input: ReviewInput) {
  // A review from a card that was asked (after a visit) closes the ask.
  const review = await answerClosingAsk(deps, program.merchant_id, input.cardSerial ?? undefined, async (tx) => {
    const r = await insertReview(tx, {
      merchantId: program.merchant_id,
      programId: program.id,
      cardSerial: input.cardSerial ?? null,
      rating: input.rating,
      text: input.text || null,
      name: input.name || null,
    });
    const data = { review: { id: r.id, rating: input.rating, text: input.text || null, name: input.name || null, verified: r.verified } };
    const hooks = await queueWebhookEvents(tx, program.merchant_id, [
      webhookEvent(
        'review.created',
        { customerId: r.customer_id, serial: r.customer_id ? input.cardSerial : null, ...data },
        r.customer_id,
      ),
    ]);
    return { ...r, hooks };
  });
  if (review.hooks > 0) deps.outbox.wake();
  return { id: review.id, status: review.status, googleReviewUrl: program.program.googleReviewUrl ?? null };
}

/** The approved reviews of a program, newest first, with their average and count. */
export async function publicReviews(
  { db }: Pick<Deps, 'db'>,
  program: ProgramRow & { merchant_name: string },
  opts: { after?: ReviewKeyset; limit: number },
) {
  const [summary, rows] = await Promise.all([
    getApprovedReviewSummary(db, program.merchant_id),
    listApprovedReviews(db, program.merchant_id, { after: opts.after, limit: opts.limit + 1 }),
  ]);
  const { items, next } = page(rows, opts.limit, (r) => ({
    rating: r.rating,
    text: r.text,
    name: r.name,
    verified: r.verified,
    createdAt: r.created_at.toISOString(),
  }));
  // For search engines: the approved reviews' average and count, about the business.
  const structuredData = summary.count
    ? {
        '@context': 'https://schema.org',
        '@type': 'AggregateRating',
        itemReviewed: { '@type': 'LocalBusiness', name: program.merchant_name },
        ratingValue: summary.average,
        reviewCount: summary.count,
      }
    : null;
  return { average: summary.average, count: summary.count, reviews: items, next, structuredData };
}

function reviewView(r: ReviewRow): ReviewView {
  return {
    id: r.id,
    rating: r.rating,
    text: r.text,
    name: r.name,
    status: r.status,
    verified: r.verified,
    createdAt: r.created_at.toISOString(),
    moderatedAt: r.moderated_at ? r.moderated_at.toISOString() : null,
    customerName: r.customer_name,
  };
}

/** A merchant's reviews for moderation, newest first, optionally of one status. */
export async function merchantReviews(
  { db }: Pick<Deps, 'db'>,
  merchantId: string,
  opts: { status?: ReviewStatus; after?: ReviewKeyset; limit: number },
): Promise<Page<ReviewView>> {
  const rows = await listMerchantReviews(db, merchantId, { ...opts, limit: opts.limit + 1 });
  return page(rows, opts.limit, reviewView);
}

/** Approves or rejects a review. Another merchant's review, or no review, is not found alike. */
export async function moderateReview(
  { db }: Pick<Deps, 'db'>,
  merchantId: string,
  id: string,
  status: 'approved' | 'rejected',
): Promise<ReviewView> {
  const row = isUuid(id) ? await setReviewStatus(db, merchantId, id, status) : undefined;
  if (!row) throw notFound('No review with this id.');
  return reviewView(row);
}
