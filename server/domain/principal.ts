/** Who acts on a merchant's behalf: a signed-in owner or staff member, or a till's API key. */
export interface Principal {
  merchantId: string;
  role: 'owner' | 'staff';
  /** `user:<id>` or `key:<id>`, recorded on ledger entries. */
  actor: string;
  via: 'session' | 'api_key';
  /** The shop the account or key belongs to (`program.locations[].id`); null: every shop. */
  locationId: string | null;
}

/** Owner-only actions (the program, the team, keys, messages, corrections, erasure). */
export const isOwner = (p: Principal): boolean => p.role === 'owner';

/**
 * A till's key stamps, redeems and looks up one card by its serial; the customer list, the
 * export, a person's data and the delivery log need a person signed in.
 */
export const isTill = (p: Principal): boolean => p.via === 'api_key';
