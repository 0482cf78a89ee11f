-- The merchant in control (issue 14): till keys that can be listed and revoked, shops, the consent
-- log, webhooks and their attempts, the delivery log of the passes, the CSV import.

-- Till keys: when last used (written at most once a minute), and the shop a key or an account belongs to.
ALTER TABLE api_keys
  ADD COLUMN last_used_at timestamptz,
  ADD COLUMN location_id text;
ALTER TABLE staff_users ADD COLUMN location_id text;

-- Shops live in the program (`settings.locations`, each with an `id`); the ones saved before get
-- an id of their own here ("shop-1"…).
UPDATE programs
   SET settings = jsonb_set(settings, '{locations}', (
         SELECT coalesce(jsonb_agg(l || jsonb_build_object('id', coalesce(l ->> 'id', 'shop-' || n), 'name', coalesce(l ->> 'name', ''),
                                                           'address', l -> 'address') ORDER BY n), '[]'::jsonb)
           FROM jsonb_array_elements(settings -> 'locations') WITH ORDINALITY AS e(l, n)))
 WHERE jsonb_typeof(settings -> 'locations') = 'array' AND jsonb_array_length(settings -> 'locations') > 0;

-- Where each ledger row happened (null: not said, or before shops existed); an opening balance
-- brought over from paper cards is a kind of its own.
ALTER TABLE ledger ADD COLUMN location_id text;
ALTER TABLE ledger DROP CONSTRAINT ledger_kind_check;
ALTER TABLE ledger ADD CONSTRAINT ledger_kind_check
  CHECK (kind IN ('stamp', 'purchase', 'reward_earned', 'redemption', 'signup_bonus', 'referral_bonus',
                  'adjustment', 'birthday_bonus', 'launch_bonus', 'imported'));
CREATE INDEX ledger_merchant_location ON ledger (merchant_id, location_id, created_at) WHERE location_id IS NOT NULL;

-- The consent log: each time consent was given or withdrawn, by whom, from where. Erasing the
-- person erases it with them.
CREATE TABLE consent_events (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  merchant_id  uuid NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
  customer_id  uuid NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  kind         text NOT NULL CHECK (kind IN ('terms', 'marketing')),
  action       text NOT NULL CHECK (action IN ('given', 'withdrawn')),
  actor        text NOT NULL,
  source       text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX consent_events_customer ON consent_events (customer_id, id);

-- What the members joined with before the log existed.
INSERT INTO consent_events (merchant_id, customer_id, kind, action, actor, source, created_at)
  SELECT merchant_id, id, 'terms', 'given', 'customer', 'signup', terms_accepted_at FROM customers;
INSERT INTO consent_events (merchant_id, customer_id, kind, action, actor, source, created_at)
  SELECT merchant_id, id, 'marketing', 'given', 'customer', 'signup', marketing_consent_at FROM customers
   WHERE marketing_consent_at IS NOT NULL;
INSERT INTO consent_events (merchant_id, customer_id, kind, action, actor, source, created_at)
  SELECT merchant_id, id, 'marketing', 'withdrawn', 'customer', 'unsubscribe', marketing_withdrawn_at FROM customers
   WHERE marketing_withdrawn_at IS NOT NULL;

-- Webhooks: the owner's URLs, the events each wants, and the secret that signs the deliveries
-- (kept: the HMAC needs it; shown once).
CREATE TABLE webhooks (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  merchant_id  uuid NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
  url          text NOT NULL,
  events       text[] NOT NULL,
  secret       text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhooks_merchant ON webhooks (merchant_id);

-- One row per event and webhook, written in the transaction that causes the event (with its
-- outbox row: channel 'webhook', target the delivery's id). `body` is the exact bytes signed.
CREATE TABLE webhook_deliveries (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  merchant_id   uuid NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
  webhook_id    uuid NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
  event_id      uuid NOT NULL,
  type          text NOT NULL,
  -- The person the event is about: erasing them removes their deliveries.
  customer_id   uuid,
  body          text NOT NULL,
  status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  created_at    timestamptz NOT NULL DEFAULT now(),
  -- Retried with backoff until then (a day after the event, or after a "send again").
  retry_until   timestamptz NOT NULL DEFAULT now() + interval '1 day',
  delivered_at  timestamptz
);
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, created_at DESC);
CREATE INDEX webhook_deliveries_customer ON webhook_deliveries (customer_id) WHERE customer_id IS NOT NULL;
CREATE INDEX webhook_deliveries_created ON webhook_deliveries (created_at);

CREATE TABLE webhook_attempts (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  delivery_id  uuid NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
  status       integer,
  error        text,
  duration_ms  integer NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, id);

-- The delivery log of the passes: each APNs push and Google update the workers sent for a card,
-- what the service answered, and (Apple) when the phone then fetched the pass. Kept 30 days.
CREATE TABLE pass_deliveries (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  merchant_id uuid NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
  card_id     uuid NOT NULL REFERENCES cards (id) ON DELETE CASCADE,
  channel     text NOT NULL,
  target      text NOT NULL,
  queued_at   timestamptz NOT NULL,
  sent_at     timestamptz NOT NULL DEFAULT now(),
  status      text NOT NULL,
  answer      text,
  fetched_at  timestamptz
);
CREATE INDEX pass_deliveries_card ON pass_deliveries (card_id, id DESC);
CREATE INDEX pass_deliveries_sent ON pass_deliveries (sent_at);

-- CSV imports: the file (decoded to text), the options, where the worker is, and what it found.
CREATE TABLE imports (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  merchant_id  uuid NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
  actor        text NOT NULL,
  source       text NOT NULL,
  options      jsonb NOT NULL,
  status       text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done', 'failed')),
  total        integer NOT NULL,
  done         integer NOT NULL DEFAULT 0,
  failed       integer NOT NULL DEFAULT 0,
  created      integer NOT NULL DEFAULT 0,
  updated      integer NOT NULL DEFAULT 0,
  unchanged    integer NOT NULL DEFAULT 0,
  errors       jsonb NOT NULL DEFAULT '[]',
  lease_until  timestamptz,
  created_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz
);
CREATE INDEX imports_merchant ON imports (merchant_id, created_at DESC);
CREATE INDEX imports_running ON imports (status) WHERE status = 'running';

-- Idempotent answers are kept 30 days (the daily job removes older ones); an erased person's go at once.
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
