-- SMART goals (issue 13): the owner's objectives on a KPI — "purchase frequency from 1.5 to 2 a
-- month by June". A goal names its metric (one of the KPI answer's figures, checked by the API),
-- its target, its days (`from_day`..`to_day`, both inclusive, in the merchant's time zone) and a
-- baseline: given by the owner, or measured when the goal was written (`baseline_measured`;
-- null when the figure had no data then). Progress, pace and status are computed on reading.
CREATE TABLE goals (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  merchant_id        uuid NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
  metric             text NOT NULL,
  target             double precision NOT NULL,
  from_day           date NOT NULL,
  to_day             date NOT NULL,
  baseline           double precision,
  baseline_measured  boolean NOT NULL DEFAULT false,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  CHECK (from_day <= to_day),
  CHECK (baseline_measured OR baseline IS NOT NULL)
);
CREATE INDEX goals_merchant ON goals (merchant_id, to_day, created_at);
