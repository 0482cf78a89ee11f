-- Merchant KPIs (GET /api/merchant/kpis) read ranges of each table by (merchant_id, created_at).
-- The ledger and redemptions already have theirs (001); cards and referrals get one here.
CREATE INDEX cards_merchant_created ON cards (merchant_id, created_at);
CREATE INDEX referrals_merchant_created ON referrals (merchant_id, created_at);
