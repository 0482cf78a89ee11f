-- Merchant KPIs (GET /api/merchant/kpis) at scale: summaries of the ledger up to a watermark
-- (`kpi_watermark.ledger_id`), folded in by `refreshKpiSummary` (db/queries/kpis.ts) away from
-- the stamp path. The KPI query reads the summaries plus the ledger rows above the watermark,
-- so its answers are exact however old the summaries are; nothing here is written by a stamp.

-- One row: every ledger row with id <= ledger_id is committed and counted in the summaries.
CREATE TABLE kpi_watermark (
  id         boolean PRIMARY KEY DEFAULT true CHECK (id),
  ledger_id  bigint NOT NULL
);
INSERT INTO kpi_watermark (ledger_id) VALUES (0);

-- The ledger's sums per merchant and UTC day (the series and the totals).
CREATE TABLE kpi_days (
  merchant_id  uuid NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
  day          date NOT NULL,
  visits       bigint NOT NULL,
  spend        bigint NOT NULL,
  orders       bigint NOT NULL,
  earned       bigint NOT NULL,
  redemptions  bigint NOT NULL,
  PRIMARY KEY (merchant_id, day)
);

-- Each card's last visit (a stamp or a purchase) and creation (copied: cards.created_at does
-- not change): active members, new ones among them, lifespans — without a join. No foreign
-- key (a refresh would then wait on a card being erased while the erasure waits on the
-- refresh): the trigger below deletes a card's row with its ledger rows.
CREATE TABLE kpi_cards (
  card_id      uuid PRIMARY KEY,
  merchant_id  uuid NOT NULL,
  card_created_at  timestamptz NOT NULL,
  last_visit   timestamptz NOT NULL
);
CREATE INDEX kpi_cards_merchant_last_visit ON kpi_cards (merchant_id, last_visit) INCLUDE (card_id, card_created_at);

-- Ledger rows are only ever deleted with their card (a GDPR erasure, a merchant's deletion):
-- take the summarised ones back out of kpi_days, and the cards' rows out of kpi_cards. The
-- watermark row is locked so that a refresh running meanwhile cannot count them again.
CREATE FUNCTION kpi_days_forget() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  wm bigint;
BEGIN
  SELECT ledger_id INTO wm FROM kpi_watermark FOR SHARE;
  UPDATE kpi_days d
     SET visits = d.visits - o.visits, spend = d.spend - o.spend, orders = d.orders - o.orders,
         earned = d.earned - o.earned, redemptions = d.redemptions - o.redemptions
    FROM (SELECT merchant_id, (created_at AT TIME ZONE 'UTC')::date AS day,
                 count(*) FILTER (WHERE kind IN ('stamp', 'purchase')) AS visits,
                 coalesce(sum(amount_minor) FILTER (WHERE amount_minor > 0), 0) AS spend,
                 count(*) FILTER (WHERE amount_minor > 0) AS orders,
                 coalesce(sum(rewards) FILTER (WHERE kind = 'reward_earned'), 0) AS earned,
                 count(*) FILTER (WHERE kind = 'redemption') AS redemptions
            FROM old_rows WHERE id <= wm GROUP BY 1, 2) AS o
   WHERE d.merchant_id = o.merchant_id AND d.day = o.day;
  DELETE FROM kpi_cards WHERE card_id IN (SELECT card_id FROM old_rows);
  RETURN NULL;
END $$;
CREATE TRIGGER ledger_kpi_days_forget AFTER DELETE ON ledger
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION kpi_days_forget();
