/** Who acts on a merchant's behalf: a signed-in owner or staff member, or a till's API key. */
export interface Principal {
  merchantId: string;
  role: 'owner' | 'staff';
  /** `user:<id>` or `key:<id>`, recorded on ledger entries. */
  actor: string;
  via: 'session' | 'api_key';
}

/** Owner-only actions (the program, the team, keys, messages, corrections, erasure). */
export const isOwner = (p: Principal): boolean => p.role === 'owner';
