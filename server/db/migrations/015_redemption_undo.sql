-- Undoing a redemption (issue 16, "from real use"): a reward used by a mistaken tap is given back
-- from the counter within minutes. The ledger stays append-only and keeps both rows: the
-- redemption, and a `redemption_undone` row that gives back exactly what it took.
ALTER TABLE ledger DROP CONSTRAINT ledger_kind_check;
ALTER TABLE ledger ADD CONSTRAINT ledger_kind_check
  CHECK (kind IN ('stamp', 'purchase', 'reward_earned', 'redemption', 'signup_bonus', 'referral_bonus',
                  'adjustment', 'birthday_bonus', 'launch_bonus', 'imported', 'tier_change', 'redemption_undone'));

-- The redemption names the ledger row that undid it, and when: a second undo finds it and
-- changes nothing. Both null: not undone.
ALTER TABLE redemptions ADD COLUMN undone_at timestamptz;
ALTER TABLE redemptions ADD COLUMN undo_ledger_id bigint REFERENCES ledger (id) ON DELETE CASCADE;
ALTER TABLE redemptions ADD CONSTRAINT redemptions_undone CHECK ((undone_at IS NULL) = (undo_ledger_id IS NULL));
