// The tills' API keys: created (the secret shown once), listed (never the secret), revoked.
import { type ApiKeyRow, insertApiKey, listApiKeys, revokeApiKey } from '../db/queries/auth.ts';
import { getProgramByMerchant } from '../db/queries/programs.ts';
import { invalidField, notFound } from '../errors.ts';
import type { Deps } from './deps.ts';
import { forgetApiKey } from './sessions.ts';
import { isUuid, newApiKey, sha256 } from './tokens.ts';

const keyOf = (k: ApiKeyRow) => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  locationId: k.location_id,
  createdAt: k.created_at.toISOString(),
  lastUsedAt: k.last_used_at?.toISOString() ?? null,
});

/**
 * A shop of the merchant's program, or null; an id the program does not have is a 400 on
 * `field` (a key or an account tied to a shop that is not there would stamp nowhere).
 */
export async function checkShop({ db }: Pick<Deps, 'db'>, merchantId: string, locationId: string | null | undefined, field = 'locationId') {
  if (locationId === null || locationId === undefined) return null;
  const program = (await getProgramByMerchant(db, merchantId))?.program;
  if (!program?.locations.some((l) => l.id === locationId)) throw invalidField(field, 'no shop of the program has this id');
  return locationId;
}

/** A new API key for a till, tied to a shop or not; the key itself is returned once and only its hash is kept. */
export async function createApiKey(deps: Pick<Deps, 'db'>, merchantId: string, input: { name: string; locationId?: string | null }) {
  const locationId = await checkShop(deps, merchantId, input.locationId);
  const key = newApiKey();
  const row = await insertApiKey(deps.db, { merchantId, name: input.name, prefix: key.slice(0, 7), keyHash: sha256(key), locationId });
  return { id: row.id, name: row.name, key, locationId, createdAt: row.created_at.toISOString() };
}

/** The keys that work, oldest first: name, shop, created, last used — never the secret. */
export async function apiKeys({ db }: Pick<Deps, 'db'>, merchantId: string) {
  return { keys: (await listApiKeys(db, merchantId)).map(keyOf) };
}

/** Revokes a key: the next request with it is a 401, on every process. Unknown or revoked before: 404. */
export async function revokeKey({ db }: Pick<Deps, 'db'>, merchantId: string, id: string): Promise<void> {
  if (!isUuid(id) || !(await revokeApiKey(db, merchantId, id))) throw notFound('No API key with this id.');
  forgetApiKey(db, id);
}
