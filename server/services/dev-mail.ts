// The development mail store: without SMTP_URL, a development server writes each mail to
// DATA_DIR/mail as an `.eml` file, and /dev/mail shows them (the demo's mails, readable).
import { listMailFiles, readMailFile, type StoredMail, type StoredMailText } from '../mail/transport.ts';
import { notFound } from '../errors.ts';
import type { Deps } from './deps.ts';

/** The store's folder, when this server writes mail to files (development without SMTP). */
export function devMailDir(deps: Pick<Deps, 'config'>): string | null {
  const t = deps.config.mail?.transport;
  return deps.config.env === 'development' && t?.kind === 'files' ? t.dir : null;
}

/** The stored mails, newest first. */
export function devMails(deps: Pick<Deps, 'config'>): StoredMail[] {
  const dir = devMailDir(deps);
  if (!dir) throw notFound();
  return listMailFiles(dir);
}

/** One stored mail: as written (an .eml), and readable (its headers and its text part, decoded). */
export function devMail(deps: Pick<Deps, 'config'>, file: string): StoredMailText {
  const dir = devMailDir(deps);
  const text = dir ? readMailFile(dir, file) : undefined;
  if (text === undefined) throw notFound('No such mail.');
  return text;
}
