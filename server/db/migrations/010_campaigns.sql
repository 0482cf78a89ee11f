-- The seed's campaigns (issue 13): the program gains a time zone and its plays (both in
-- `settings`, off by default); the ledger two kinds of bonus; each card a message of its own for
-- its pass; and every effect of a play a row with a unique key, so that two processes, a restart
-- or a run killed half-way never give the same birthday twice.

UPDATE programs
   SET settings = settings
       || CASE WHEN settings ? 'timezone' THEN '{}'::jsonb ELSE '{"timezone": "Europe/Paris"}'::jsonb END
       || CASE WHEN settings ? 'campaigns' THEN '{}'::jsonb ELSE jsonb_build_object('campaigns', jsonb_build_object(
            'birthday', '{"enabled": false, "daysBefore": 0, "gift": {"kind": "bonus", "amount": 1}, "message": null}'::jsonb,
            'launchBonus', '{"enabled": false, "amount": 1, "from": null, "to": null}'::jsonb,
            'asks', '{"enabled": false, "kind": "review", "skipFirstVisit": true}'::jsonb,
            'winBack', '{"enabled": false, "days": 60, "message": null}'::jsonb,
            'giving', '{"enabled": false, "cause": "", "perStampMinor": 0, "percentOfSpend": 0}'::jsonb)) END;

-- A birthday gift and a launch-week bonus are bonuses of their own on the ledger.
ALTER TABLE ledger DROP CONSTRAINT ledger_kind_check;
ALTER TABLE ledger ADD CONSTRAINT ledger_kind_check
  CHECK (kind IN ('stamp', 'purchase', 'reward_earned', 'redemption', 'signup_bonus', 'referral_bonus',
                  'adjustment', 'birthday_bonus', 'launch_bonus'));

-- A card's own message on its pass (a birthday, a win-back): the newer of it and the merchant's
-- broadcast (programs.message) is the pass's message field, so its change reaches the lock screen.
ALTER TABLE cards
  ADD COLUMN note text,
  ADD COLUMN note_at timestamptz;

-- What the plays did, one row per effect: (card, kind, key) is unique — the key is the year of a
-- birthday, the last visit a win-back follows, the day of an after-visit ask. The job inserts the
-- row first (ON CONFLICT DO NOTHING) and gives the gift only if it did, in one transaction.
-- Erasing a card erases its effects.
CREATE TABLE campaign_effects (
  card_id      uuid NOT NULL REFERENCES cards (id) ON DELETE CASCADE,
  merchant_id  uuid NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
  kind         text NOT NULL CHECK (kind IN ('birthday', 'win_back', 'ask')),
  key          text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (card_id, kind, key)
);
CREATE INDEX campaign_effects_merchant ON campaign_effects (merchant_id, kind, created_at);

-- Birthdays by day of the year, per merchant: the daily job reads today's (and the catch-up
-- days') birthdays from an index instead of every member.
CREATE INDEX customers_merchant_birthday ON customers (merchant_id, (EXTRACT(MONTH FROM birthday) * 100 + EXTRACT(DAY FROM birthday)))
  WHERE birthday IS NOT NULL;
