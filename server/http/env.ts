import type { Principal } from '../domain/principal.ts';

export type { Deps } from '../services/deps.ts';

/** What the merchant API's middleware leaves on the context: who is calling. */
export interface AppEnv {
  Variables: { principal: Principal };
}
