-- Apple Wallet: the devices that asked to be told when a card's pass changes (PassKit web
-- service "register"), and the outbox rows that carry one push per device token.

CREATE TABLE apple_registrations (
  -- Apple's deviceLibraryIdentifier: one per device and Wallet library.
  device_id   text NOT NULL,
  card_id     uuid NOT NULL REFERENCES cards (id) ON DELETE CASCADE,
  push_token  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (device_id, card_id)
);
CREATE INDEX apple_registrations_card ON apple_registrations (card_id);
CREATE INDEX apple_registrations_token ON apple_registrations (push_token);

-- One pending row per (channel, target): a second change before the push went out bumps
-- `seq` instead of adding a row, so a burst of stamps costs the phone one push. A worker
-- leases rows (`lease_until`) instead of holding locks while it talks to APNs, and deletes a
-- row only if `seq` is still the one it sent: a change that came in meanwhile is pushed again.
ALTER TABLE outbox
  ADD COLUMN seq integer NOT NULL DEFAULT 1,
  ADD COLUMN lease_until timestamptz,
  ADD COLUMN last_error text;
-- A row is a device token's, not a card's: the card that last queued it may be erased while
-- the device still has another card's change to hear about.
ALTER TABLE outbox
  DROP CONSTRAINT outbox_card_id_fkey,
  ADD CONSTRAINT outbox_card_id_fkey FOREIGN KEY (card_id) REFERENCES cards (id) ON DELETE SET NULL;
CREATE UNIQUE INDEX outbox_target ON outbox (channel, target);

-- The broadcast message shown on every pass of the program.
ALTER TABLE programs
  ADD COLUMN message text,
  ADD COLUMN message_at timestamptz;
