-- Fair rules (issue 16): the ledger keeps the names of its time, tiers drop when the rolling
-- window says so, referrals are capped, merchant messages are counted per day.

-- A reward's name as it was when the row was written (a reward earned or redeemed): the history
-- shows it even after the owner renames the reward. Rows from before keep null (the history falls
-- back to the redemption's own record, then to the current name). A tier's name is already on
-- the row (`tier`). `tier_change`: the daily job's recomputation of a tier, with no delta.
ALTER TABLE ledger ADD COLUMN reward_name text;
-- The history reads a redemption's record by its ledger row.
CREATE INDEX redemptions_ledger ON redemptions (ledger_id);
ALTER TABLE ledger DROP CONSTRAINT ledger_kind_check;
ALTER TABLE ledger ADD CONSTRAINT ledger_kind_check
  CHECK (kind IN ('stamp', 'purchase', 'reward_earned', 'redemption', 'signup_bonus', 'referral_bonus',
                  'adjustment', 'birthday_bonus', 'launch_bonus', 'imported', 'tier_change'));

-- A referral over the referrer's cap (`settings.referral.monthlyCap` in any 30 days) is refused:
-- the referee keeps the card, nobody gets the bonus.
ALTER TABLE referrals DROP CONSTRAINT referrals_status_check;
ALTER TABLE referrals ADD CONSTRAINT referrals_status_check CHECK (status IN ('pending', 'rewarded', 'refused'));
CREATE INDEX referrals_referrer_rewarded ON referrals (referrer_card_id, rewarded_at) WHERE status = 'rewarded';

-- The programs saved before the cap get its default.
UPDATE programs
   SET settings = jsonb_set(settings, '{referral,monthlyCap}', '10'::jsonb)
 WHERE jsonb_typeof(settings -> 'referral') = 'object' AND NOT (settings -> 'referral') ? 'monthlyCap';

-- Each message the merchant sent to every pass: at most 3 in any 24 hours reach the lock screens
-- (Google's own limit a pass, kept for Apple Wallet too).
CREATE TABLE merchant_messages (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  merchant_id  uuid NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
  text         text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX merchant_messages_merchant ON merchant_messages (merchant_id, created_at);
