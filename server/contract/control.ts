// The merchant in control (issue 14): till keys listed and revoked, webhooks and their log, the
// CSV import, the delivery log of a card, a person's data, the shops. API.md, "Additions".
import { z } from '@hono/zod-openapi';
import type { ImportField } from '../domain/imports.ts';
import { dateTime } from './shared.ts';

// ---------------------------------------------------------------------------------------------
// Till keys

/** A shop's id (`program.locations[].id`), or null: not tied to one shop. */
export const locationId = z.string().trim().min(1).max(40).nullable();

export const apiKeyListSchema = z
  .object({
    keys: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        /** The key's first characters (`fk_AbCd`), to tell keys apart; never the secret. */
        prefix: z.string(),
        locationId,
        createdAt: dateTime,
        lastUsedAt: dateTime.nullable(),
      }),
    ),
  })
  .openapi('ApiKeys');

// ---------------------------------------------------------------------------------------------
// Webhooks

export const WEBHOOK_EVENTS = [
  'member.joined',
  'card.stamped',
  'card.purchased',
  'reward.earned',
  'reward.redeemed',
  'reward.redemption_undone',
  'review.created',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export const webhookBody = z
  .object({
    url: z.string().trim().max(2000).url().openapi({ example: 'https://till.example.com/fidelio' }),
    events: z.array(z.enum(WEBHOOK_EVENTS)).min(1).max(WEBHOOK_EVENTS.length),
  })
  .openapi('WebhookInput');

const webhookFields = { id: z.string(), url: z.string(), events: z.array(z.enum(WEBHOOK_EVENTS)), createdAt: dateTime };

export const webhookCreatedSchema = z
  .object({
    ...webhookFields,
    secret: z.string().openapi({ description: 'Shown once: checks `Fidelio-Signature` (`whsec_…`).' }),
  })
  .openapi('WebhookCreated');

export const webhooksSchema = z
  .object({
    webhooks: z.array(
      z.object({
        ...webhookFields,
        /** Deliveries of the last 30 days by what became of them. */
        delivered: z.number().int(),
        failing: z.number().int(),
      }),
    ),
  })
  .openapi('Webhooks');

export const webhookDeliverySchema = z
  .object({
    id: z.string(),
    eventId: z.string(),
    type: z.enum(WEBHOOK_EVENTS),
    status: z.enum(['pending', 'delivered', 'failed']).openapi({
      description: '`pending`: on its way or waiting for a retry; `failed`: given up after a day (or refused for good).',
    }),
    createdAt: dateTime,
    deliveredAt: dateTime.nullable(),
    nextAttemptAt: dateTime.nullable(),
    attempts: z.array(
      z.object({
        at: dateTime,
        /** The receiver's HTTP status; null when it never answered (a timeout, a refused address). */
        status: z.number().int().nullable(),
        error: z.string().nullable(),
        durationMs: z.number().int(),
      }),
    ),
  })
  .openapi('WebhookDelivery');

export const webhookDeliveriesSchema = z.object({ deliveries: z.array(webhookDeliverySchema) });

export const webhookDeliveryParams = z.object({ id: z.string(), deliveryId: z.string() });

// ---------------------------------------------------------------------------------------------
// Import

export { IMPORT_FIELDS, type ImportField } from '../domain/imports.ts';

const column = z.string().trim().min(1).max(200).optional();

const columnOf = (field: ImportField) =>
  column.openapi({ description: `The header of the column that holds \`${field}\` (found by its name when left out).` });

export const importQuery = z
  .object({
    name: columnOf('name'),
    email: columnOf('email'),
    phone: columnOf('phone'),
    birthday: columnOf('birthday'),
    balance: columnOf('balance'),
    marketing_consent: columnOf('marketing_consent'),
    welcome: z
      .enum(['true', 'false'])
      .default('false')
      .transform((v) => v === 'true')
      .openapi({ description: 'Send each new member the welcome mail (only when the owner ticks it).' }),
  })
  .openapi('ImportOptions');

export const importPreviewSchema = z
  .object({
    encoding: z.enum(['utf-8', 'windows-1252']),
    delimiter: z.enum([',', ';', '\t']),
    columns: z.array(z.string()).openapi({ description: 'The header row.' }),
    mapping: z
      .object({
        name: z.string().nullable(),
        email: z.string().nullable(),
        phone: z.string().nullable(),
        birthday: z.string().nullable(),
        balance: z.string().nullable(),
        marketing_consent: z.string().nullable(),
      })
      .openapi({ description: 'The column each field was found in (null: none).' }),
    rows: z.array(z.array(z.string())).openapi({ description: 'The first rows after the header, as read.' }),
    total: z.number().int().openapi({ description: 'Rows after the header.' }),
    /** What `balance` means for this program: stamps, points, or cashback in major units ("12,50"). */
    balanceUnit: z.enum(['stamps', 'points', 'cashback']),
  })
  .openapi('ImportPreview');

export const importSchema = z
  .object({
    id: z.string(),
    status: z.enum(['running', 'done', 'failed']),
    total: z.number().int(),
    done: z.number().int().openapi({ description: 'Rows read so far (imported, unchanged or refused).' }),
    failed: z.number().int(),
    created: z.number().int().openapi({ description: 'New members.' }),
    updated: z.number().int().openapi({ description: 'Members already there who got their opening balance.' }),
    unchanged: z.number().int().openapi({ description: 'Rows already imported before: nothing done twice.' }),
    errors: z.array(z.object({ line: z.number().int(), message: z.string() })).openapi({ description: 'Line 1 is the header.' }),
    welcome: z.boolean(),
    createdAt: dateTime,
    finishedAt: dateTime.nullable(),
  })
  .openapi('Import');

export const importsSchema = z.object({ imports: z.array(importSchema) });

export const importStartedSchema = z.object({ id: z.string() });

// ---------------------------------------------------------------------------------------------
// Delivery log

export const deliveriesSchema = z
  .object({
    deliveries: z.array(
      z.object({
        channel: z.enum(['apns', 'google']),
        /** An APNs device token (its first characters) or the Google object; which phone. */
        target: z.string(),
        queuedAt: dateTime,
        sentAt: dateTime.nullable(),
        status: z.enum(['queued', 'sent', 'retrying', 'gone', 'rejected', 'failed']),
        /** What APNs or Google answered: an HTTP status and reason. */
        answer: z.string().nullable(),
        /** Apple: when the phone then fetched the new pass. */
        fetchedAt: dateTime.nullable(),
      }),
    ),
  })
  .openapi('Deliveries');

// ---------------------------------------------------------------------------------------------
// A person's data

export const consentEventSchema = z
  .object({
    kind: z.enum(['terms', 'marketing']),
    action: z.enum(['given', 'withdrawn']),
    /** `customer` (the member, on the join page or an unsubscribe link), `user:<id>` (an owner's import), `import`. */
    by: z.string(),
    source: z.string(),
    at: dateTime,
  })
  .openapi('ConsentEvent');

export const customerExportSchema = z
  .object({
    exportedAt: dateTime,
    merchant: z.object({ name: z.string() }),
    customer: z.record(z.string(), z.unknown()),
    card: z.record(z.string(), z.unknown()).nullable(),
    ledger: z.array(z.record(z.string(), z.unknown())),
    redemptions: z.array(z.record(z.string(), z.unknown())),
    referrals: z.array(z.record(z.string(), z.unknown())),
    reviews: z.array(z.record(z.string(), z.unknown())),
    surveyAnswers: z.array(z.record(z.string(), z.unknown())),
    campaignEffects: z.array(z.record(z.string(), z.unknown())),
    devices: z.object({ apple: z.number().int(), google: z.boolean() }),
    deliveries: z.array(z.record(z.string(), z.unknown())),
    consent: z.array(consentEventSchema),
  })
  .openapi('CustomerExport');

export const consentLogSchema = z.object({ consent: z.array(consentEventSchema) });
