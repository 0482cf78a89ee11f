-- Manual adjustments by the owner (POST /api/merchant/cards/:serial/adjustments): a ledger row
-- of kind 'adjustment' (already allowed by 001's CHECK) that says why. The reason is required on
-- adjustments and nowhere else; its 1–200 characters are checked at the edge too. A nullable
-- column without a default: adding it rewrites nothing, and the CHECK reads each row once.
ALTER TABLE ledger ADD COLUMN reason text;
ALTER TABLE ledger ADD CONSTRAINT ledger_adjustment_reason
  CHECK ((kind = 'adjustment') = (reason IS NOT NULL) AND char_length(reason) <= 200);
