-- fidelio schema, version 1.
-- Money is integer minor units (cents) next to an ISO 4217 currency code.
-- The ledger is append-only; the balances on `cards` are a cache of it.

CREATE TABLE merchants (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name        text NOT NULL,
  email       text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE staff_users (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  merchant_id    uuid NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
  email          text NOT NULL,
  password_hash  text NOT NULL,
  role           text NOT NULL CHECK (role IN ('owner', 'staff')),
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX staff_users_email_key ON staff_users (lower(email));

-- Only a SHA-256 of the session id is stored: a database leak gives no usable cookie.
CREATE TABLE sessions (
  id_hash      bytea PRIMARY KEY,
  user_id      uuid NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
  merchant_id  uuid NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL
);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

CREATE TABLE api_keys (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  merchant_id   uuid NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
  name          text NOT NULL,
  prefix        text NOT NULL,
  key_hash      bytea NOT NULL UNIQUE,
  created_at    timestamptz NOT NULL DEFAULT now(),
  revoked_at    timestamptz
);

-- One program per merchant for now. Scalar fields the SQL needs are columns; the rest of
-- the program object (rules, rewards catalog, tiers, design, origins) is `settings`.
CREATE TABLE programs (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  merchant_id  uuid NOT NULL UNIQUE REFERENCES merchants (id) ON DELETE CASCADE,
  slug         text NOT NULL UNIQUE,
  type         text NOT NULL CHECK (type IN ('stamps', 'points', 'tiers', 'cashback')),
  currency     char(3) NOT NULL,
  settings     jsonb NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE customers (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  merchant_id        uuid NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
  name               text NOT NULL,
  email              text NOT NULL,
  phone              text,
  birthday           date,
  locale             text,
  terms_accepted_at  timestamptz NOT NULL,
  marketing_consent  boolean NOT NULL DEFAULT false,
  created_at         timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX customers_merchant_email_key ON customers (merchant_id, lower(email));
CREATE INDEX customers_merchant_created ON customers (merchant_id, created_at DESC, id DESC);

CREATE TABLE cards (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  merchant_id        uuid NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
  program_id         uuid NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
  customer_id        uuid NOT NULL UNIQUE REFERENCES customers (id) ON DELETE CASCADE,
  serial             text NOT NULL UNIQUE,
  auth_token         text NOT NULL,
  referral_code      text NOT NULL UNIQUE,
  -- cached balances (recomputable from the ledger)
  stamps             integer NOT NULL DEFAULT 0,
  rewards_available  integer NOT NULL DEFAULT 0,
  points             bigint NOT NULL DEFAULT 0,
  tier               text,
  cashback_minor     bigint NOT NULL DEFAULT 0,
  spend_minor        bigint NOT NULL DEFAULT 0,
  -- first stamp or purchase: pays a pending referral
  activated_at       timestamptz,
  version            integer NOT NULL DEFAULT 1,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX cards_merchant ON cards (merchant_id);

CREATE TABLE ledger (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  merchant_id      uuid NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
  card_id          uuid NOT NULL REFERENCES cards (id) ON DELETE CASCADE,
  kind             text NOT NULL CHECK (kind IN ('stamp', 'purchase', 'reward_earned', 'redemption',
                                                  'signup_bonus', 'referral_bonus', 'adjustment')),
  stamps           integer NOT NULL DEFAULT 0,
  rewards          integer NOT NULL DEFAULT 0,
  points           bigint NOT NULL DEFAULT 0,
  cashback_minor   bigint NOT NULL DEFAULT 0,
  amount_minor     bigint NOT NULL DEFAULT 0,
  currency         char(3) NOT NULL,
  tier             text,
  reward_id        text,
  actor            text,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ledger_card ON ledger (card_id, id);
CREATE INDEX ledger_merchant_created ON ledger (merchant_id, created_at);

CREATE FUNCTION ledger_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the ledger is append-only' USING ERRCODE = 'restrict_violation';
END $$;
CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger
  FOR EACH ROW EXECUTE FUNCTION ledger_is_append_only();

CREATE TABLE redemptions (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  merchant_id  uuid NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
  card_id      uuid NOT NULL REFERENCES cards (id) ON DELETE CASCADE,
  ledger_id    bigint NOT NULL REFERENCES ledger (id) ON DELETE CASCADE,
  reward_id    text,
  reward_name  text NOT NULL,
  cost_minor   bigint NOT NULL DEFAULT 0,
  currency     char(3) NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX redemptions_merchant_created ON redemptions (merchant_id, created_at);

CREATE TABLE referrals (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  merchant_id       uuid NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
  referrer_card_id  uuid NOT NULL REFERENCES cards (id) ON DELETE CASCADE,
  referee_card_id   uuid NOT NULL UNIQUE REFERENCES cards (id) ON DELETE CASCADE,
  status            text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'rewarded')),
  created_at        timestamptz NOT NULL DEFAULT now(),
  rewarded_at       timestamptz
);
CREATE INDEX referrals_referrer ON referrals (referrer_card_id);

CREATE TABLE reviews (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  merchant_id  uuid NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
  card_id      uuid REFERENCES cards (id) ON DELETE SET NULL,
  rating       smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
  text         text,
  name         text,
  status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
  created_at   timestamptz NOT NULL DEFAULT now(),
  moderated_at timestamptz
);
CREATE INDEX reviews_merchant_status ON reviews (merchant_id, status, created_at DESC);

CREATE TABLE survey_answers (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  merchant_id  uuid NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
  card_id      uuid REFERENCES cards (id) ON DELETE SET NULL,
  kind         text NOT NULL CHECK (kind IN ('nps', 'csat', 'ces')),
  score        smallint NOT NULL,
  comment      text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'nps' AND score BETWEEN 0 AND 10) OR (kind <> 'nps' AND score BETWEEN 1 AND 5))
);
CREATE INDEX survey_answers_merchant ON survey_answers (merchant_id, kind, created_at);

-- Work for the wallet workers (APNs pushes, Google object updates), written in the same
-- transaction as the ledger entry that causes it; drained with FOR UPDATE SKIP LOCKED.
CREATE TABLE outbox (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  merchant_id   uuid NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
  card_id       uuid REFERENCES cards (id) ON DELETE CASCADE,
  channel       text NOT NULL,
  target        text,
  payload       jsonb NOT NULL DEFAULT '{}',
  attempts      integer NOT NULL DEFAULT 0,
  available_at  timestamptz NOT NULL DEFAULT now(),
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbox_available ON outbox (available_at, id);

-- Idempotency-Key answers, per merchant. The row is inserted first, in the transaction of
-- the write, so a duplicate in flight waits on it and then reads the stored answer.
CREATE TABLE idempotency_keys (
  merchant_id   uuid NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
  key           text NOT NULL,
  request_hash  text NOT NULL,
  status        smallint,
  body          json,   -- json, not jsonb: a replay answers the very same bytes (key order kept)
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (merchant_id, key)
);

-- Fixed-window counters for rate limits, shared by every server process.
CREATE TABLE rate_limits (
  bucket        text NOT NULL,
  window_start  timestamptz NOT NULL,
  hits          integer NOT NULL,
  PRIMARY KEY (bucket, window_start)
);
