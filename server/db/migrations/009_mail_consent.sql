-- Consent, with its times: the terms were accepted at signup (`terms_accepted_at`, since 001);
-- marketing mail is allowed from `marketing_consent_at` (when it was given) until
-- `marketing_withdrawn_at` (the unsubscribe link, say). `marketing_consent` stays the one answer
-- to "may we send marketing mail now?"; the times are the record of how it came to be.
ALTER TABLE customers
  ADD COLUMN marketing_consent_at timestamptz,
  ADD COLUMN marketing_withdrawn_at timestamptz;

-- Members who consented before this migration: the time they joined is the time they said yes.
UPDATE customers SET marketing_consent_at = created_at WHERE marketing_consent;

ALTER TABLE customers
  ADD CONSTRAINT customers_marketing_consent_dated CHECK (NOT marketing_consent OR marketing_consent_at IS NOT NULL);

-- Mail is queued in the outbox (channel 'mail', target '<kind>:<customer id>…'), one pending row
-- per target; recovery looks members up by address, per merchant, case-insensitively: the
-- unique index customers_merchant_email_key (merchant_id, lower(email)) serves it.
