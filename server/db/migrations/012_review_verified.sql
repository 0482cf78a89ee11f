-- Verified-member reviews (issue 13): a review is `verified` when it came with a card of the
-- same merchant that had a visit (a stamp or a purchase on the ledger) before the review was
-- written. Decided once, when the review is written, and stored; the reviews already there are
-- decided by the same rule.
ALTER TABLE reviews ADD COLUMN verified boolean NOT NULL DEFAULT false;

UPDATE reviews r
   SET verified = true
 WHERE r.card_id IS NOT NULL
   AND EXISTS (SELECT 1 FROM ledger l
                WHERE l.card_id = r.card_id AND l.merchant_id = r.merchant_id
                  AND l.kind IN ('stamp', 'purchase') AND l.created_at <= r.created_at);
