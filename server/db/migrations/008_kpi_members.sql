-- Members in the KPI summaries (migration 004): how many cards were created per merchant and
-- UTC day, folded in by `refreshKpiSummary` like the ledger, so the KPI query counts members
-- and new members from a few hundred day rows rather than every card. Cards get a sequence
-- number for that (their ids are random): the watermark's `card_seq` says which are counted.

ALTER TABLE cards ADD COLUMN kpi_seq bigserial;
CREATE INDEX cards_kpi_seq ON cards (kpi_seq);

ALTER TABLE kpi_watermark ADD COLUMN card_seq bigint NOT NULL DEFAULT 0;
ALTER TABLE kpi_days ADD COLUMN new_members bigint NOT NULL DEFAULT 0;

-- A card erased (GDPR) or its merchant deleted: take it back out of the days it was counted in,
-- under the watermark row's lock, as the ledger's trigger does.
CREATE FUNCTION kpi_members_forget() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  wm bigint;
BEGIN
  SELECT card_seq INTO wm FROM kpi_watermark FOR SHARE;
  UPDATE kpi_days d
     SET new_members = d.new_members - o.n
    FROM (SELECT merchant_id, (created_at AT TIME ZONE 'UTC')::date AS day, count(*) AS n
            FROM old_rows WHERE kpi_seq <= wm GROUP BY 1, 2) AS o
   WHERE d.merchant_id = o.merchant_id AND d.day = o.day;
  RETURN NULL;
END $$;
CREATE TRIGGER cards_kpi_members_forget AFTER DELETE ON cards
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION kpi_members_forget();
