import { invalidField } from '../errors.ts';
import { isUuid } from '../services/tokens.ts';

const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

/** A position in a list ordered by (created_at, id), newest first. */
export interface Keyset {
  /** `created_at` to the microsecond, UTC ISO (`…T12:00:00.123456Z`). */
  at: string;
  id: string;
}

/**
 * Keyset cursor for the lists (customers, reviews): base64url of `createdAt|id`, the time to
 * the microsecond (two rows created in the same millisecond must not fall between pages).
 */
export const cursor = {
  encode: (at: string, id: string) => Buffer.from(`${at}|${id}`).toString('base64url'),
  decode(value: string): Keyset {
    const [at = '', id = ''] = Buffer.from(value, 'base64url').toString().split('|');
    // Only what `encode` writes: a UTC timestamp from 1970 to 9999 (Postgres refuses years a
    // JS Date accepts) and a UUID (not any 36 hex digits and dashes); else the query would 500.
    const time = TIMESTAMP.test(at) ? Date.parse(at.slice(0, 23) + 'Z') : NaN;
    if (!(time >= 0) || !isUuid(id)) {
      throw invalidField('cursor', 'invalid cursor', 'This cursor is not valid.');
    }
    return { at, id };
  },
};
