-- A merchant's uploaded logo (PUT /api/merchant/program/logo): the normalised PNG (150×150,
-- re-encoded by the server, never the uploaded bytes), served at /logos/<merchant>.<sha8>.png
-- and drawn on the Apple Wallet pass.
CREATE TABLE merchant_logos (
  merchant_id  uuid PRIMARY KEY REFERENCES merchants (id) ON DELETE CASCADE,
  png          bytea NOT NULL,
  sha256       text NOT NULL,
  updated_at   timestamptz NOT NULL DEFAULT now()
);
