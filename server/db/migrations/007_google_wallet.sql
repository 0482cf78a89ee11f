-- Google Wallet: the cards whose LoyaltyObject exists at Google (inserted through the REST API
-- when the member opened the save link), and what the object showed when last sent, so that an
-- update sends only what changed and notifies only on a milestone. Only these cards get 'google'
-- outbox rows (target: the card's serial; 'class:<merchant id>' for the program's class).
CREATE TABLE google_objects (
  card_id         uuid PRIMARY KEY REFERENCES cards (id) ON DELETE CASCADE,
  offered_at      timestamptz NOT NULL DEFAULT now(),
  -- The object as Google has it, after our last successful insert or PATCH (null: unknown).
  sent            jsonb,
  -- The card's version that `sent` showed: an older state never overwrites a newer one.
  sent_version    integer,
  -- Rewards reached when last sent: a higher level is a milestone, which notifies.
  sent_level      integer,
  -- The merchant message last announced with a notification.
  sent_message_at timestamptz,
  -- Notifications sent (Google allows 3 per pass per 24 hours).
  notified_at     timestamptz[] NOT NULL DEFAULT '{}'
);

-- The program's LoyaltyClass as Google has it (one per merchant).
CREATE TABLE google_classes (
  merchant_id  uuid PRIMARY KEY REFERENCES merchants (id) ON DELETE CASCADE,
  sent         jsonb NOT NULL,
  sent_at      timestamptz NOT NULL DEFAULT now()
);
