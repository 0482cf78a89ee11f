import type { Deps } from './deps.ts';

/** Whether the database answers (readiness), and which driver it is. */
export async function databaseReady({ db }: Pick<Deps, 'db'>): Promise<{ ok: boolean; driver: string }> {
  try {
    await db.query('SELECT 1');
    return { ok: true, driver: db.driver };
  } catch {
    return { ok: false, driver: db.driver };
  }
}
