-- An undone redemption counts as one redemption less on the day of its `redemption_undone` row,
-- in the KPIs' summaries as in the ledger above their watermark (db/queries/kpis.ts, ledgerSums).
-- Summaries folded in before this counted the undo rows as nothing, and the erasure trigger of
-- migration 004 took a card's rows out the same way: a card erased with an undone redemption
-- would have left its day at -1.

-- The watermark locked first, as a refresh does: no refresh folds rows in while the days are
-- corrected.
SELECT ledger_id FROM kpi_watermark FOR UPDATE;

-- The undo rows already summarised: one redemption less on their day.
UPDATE kpi_days d
   SET redemptions = d.redemptions - u.n
  FROM (SELECT merchant_id, (created_at AT TIME ZONE 'UTC')::date AS day, count(*) AS n
          FROM ledger
         WHERE kind = 'redemption_undone' AND id <= (SELECT ledger_id FROM kpi_watermark)
         GROUP BY 1, 2) AS u
 WHERE d.merchant_id = u.merchant_id AND d.day = u.day;

-- Erasing a card takes its summarised rows out by the same sums as they were folded in.
CREATE OR REPLACE FUNCTION kpi_days_forget() RETURNS trigger LANGUAGE plpgsql AS $$
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
                 count(*) FILTER (WHERE kind = 'redemption') - count(*) FILTER (WHERE kind = 'redemption_undone') AS redemptions
            FROM old_rows WHERE id <= wm GROUP BY 1, 2) AS o
   WHERE d.merchant_id = o.merchant_id AND d.day = o.day;
  DELETE FROM kpi_cards WHERE card_id IN (SELECT card_id FROM old_rows);
  RETURN NULL;
END $$;
