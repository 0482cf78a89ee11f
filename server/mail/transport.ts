// How a mail leaves: over SMTP (nodemailer, a small pool of connections), or, in development
// without an SMTP server, into a `.eml` file in DATA_DIR/mail that /dev/mail lists. The transport
// knows messages and servers, not the outbox: it says what became of one mail, and the channel
// hands that to the worker.
import { randomBytes } from 'node:crypto';
import { mkdirSync, openSync, readdirSync, readFileSync, readSync, closeSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer, { type NodemailerError, type SendMailOptions } from 'nodemailer';
import type { Locale } from '../../common/localize.ts';
import type { MailConfig, Mailbox } from '../config.ts';

/** One mail to one recipient, as the transport sends it. */
export interface OutgoingMail {
  from: Mailbox;
  to: { name: string; address: string };
  subject: string;
  text: string;
  html: string;
  /** Content-Language. */
  language: Locale;
  /** Headers of its own (List-Unsubscribe on marketing mail); values are plain ASCII. */
  headers: Record<string, string>;
  /** The same on every attempt. */
  messageId: string;
}

/** What became of one mail (a subset of the outbox's `Delivery`). */
export type SendOutcome =
  | { status: 'sent' }
  /** 4xx, a timeout, a dropped connection: again later. */
  | { status: 'retry'; reason: string }
  /** 5xx for this message or its recipient: never again. */
  | { status: 'rejected'; reason: string }
  /** Our side is wrong (credentials, TLS, a sender the server refuses): again much later, logged. */
  | { status: 'failed'; reason: string };

export interface MailTransport {
  /** Where mail goes, for the start-up line (never the password). */
  readonly description: string;
  send(mail: OutgoingMail): Promise<SendOutcome>;
  close(): Promise<void>;
}

export interface SmtpOptions {
  /** Connections open at most (nodemailer's pool). */
  maxConnections?: number;
  connectionTimeoutMs?: number;
  greetingTimeoutMs?: number;
  /** Silence on an open connection (a server that hangs mid-message) before giving up. */
  socketTimeoutMs?: number;
}

/** The transport `config.mail` names. */
export function openMailTransport(config: MailConfig, smtp: SmtpOptions = {}): MailTransport {
  return config.transport.kind === 'smtp' ? smtpTransport(config.transport, smtp) : fileTransport(config.transport.dir);
}

/** nodemailer's fields for a message: exactly one recipient, in the envelope as in the headers. */
function mailOptions(mail: OutgoingMail): SendMailOptions {
  return {
    from: { name: mail.from.name ?? '', address: mail.from.address },
    to: { name: mail.to.name, address: mail.to.address },
    // The envelope is what the server delivers to, whatever the headers say.
    envelope: { from: mail.from.address, to: [mail.to.address] },
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    messageId: mail.messageId,
    headers: { ...mail.headers, 'Content-Language': mail.language },
    xMailer: false,
    // Every part is given inline: nothing is read from a file or fetched from a URL.
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}

/** The SMTP server's own words, on one line and short (they go to the log and the outbox row). */
const said = (err: NodemailerError) => (err.response ?? err.message).replace(/\s+/g, ' ').trim().slice(0, 300);

/**
 * What an SMTP failure means for the mail. RFC 5321: a 4yz reply is transient, a 5yz permanent
 * (nodemailer's `permanent`). A permanent refusal of the recipient or the message ends it; one of
 * our sender or our login is ours to mend; a timeout or a dropped connection is tried again.
 */
export function outcomeOfSmtpError(err: NodemailerError): Exclude<SendOutcome, { status: 'sent' }> {
  const reason = `${err.code ?? 'error'}${err.responseCode ? ` ${err.responseCode}` : ''}: ${said(err)}`;
  if (['EAUTH', 'ENOAUTH', 'ETLS', 'EREQUIRETLS', 'ECONFIG', 'EOAUTH2'].includes(err.code ?? '')) return { status: 'failed', reason };
  if (err.responseCode === undefined) return { status: 'retry', reason };
  if (!(err.permanent ?? (err.responseCode >= 500 && err.responseCode !== 503))) return { status: 'retry', reason };
  const ours = err.code === 'EENVELOPE' && /^MAIL\b/i.test(err.command ?? '');
  return err.code === 'EENVELOPE' || err.code === 'EMESSAGE'
    ? ours
      ? { status: 'failed', reason }
      : { status: 'rejected', reason }
    : { status: 'failed', reason };
}

/**
 * SMTP through nodemailer's pool: a few connections kept open, STARTTLS when the server offers it
 * (smtps:// is TLS from the start). A message whose connection drops is handed back, not resent
 * by the pool: the outbox decides when to try again.
 */
export function smtpTransport(t: Extract<MailConfig['transport'], { kind: 'smtp' }>, o: SmtpOptions = {}): MailTransport {
  const transporter = nodemailer.createTransport({
    pool: true,
    host: t.host,
    port: t.port,
    secure: t.secure,
    ...(t.auth && { auth: { user: t.auth.user, pass: t.auth.pass } }),
    maxConnections: o.maxConnections ?? 5,
    maxRequeues: 0,
    connectionTimeout: o.connectionTimeoutMs ?? 10_000,
    greetingTimeout: o.greetingTimeoutMs ?? 10_000,
    socketTimeout: o.socketTimeoutMs ?? 30_000,
  });
  return {
    description: `${t.secure ? 'smtps' : 'smtp'}://${t.host}:${t.port}`,
    async send(mail) {
      try {
        await transporter.sendMail(mailOptions(mail));
        return { status: 'sent' };
      } catch (err) {
        return outcomeOfSmtpError(err as NodemailerError);
      }
    },
    async close() {
      transporter.close();
    },
  };
}

/** Files in `dir`, one `.eml` per mail, named so that the newest sorts first in reverse. */
export function fileTransport(dir: string): MailTransport {
  // LF line ends: the file's, not the wire's.
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    description: `files in ${dir}`,
    async send(mail) {
      const info = await composer.sendMail(mailOptions(mail));
      mkdirSync(dir, { recursive: true });
      const stamp = new Date().toISOString().replace(/[-:.]/g, '');
      writeFileSync(join(dir, `${stamp}-${randomBytes(3).toString('hex')}.eml`), info.message as Buffer, { mode: 0o600 });
      return { status: 'sent' };
    },
    async close() {},
  };
}

/** What the list of stored mails shows of one. */
export interface StoredMail {
  file: string;
  to: string;
  subject: string;
  date: string;
}

const FILE = /^[0-9TZ]+-[0-9a-f]{6}\.eml$/;

/** The mails of the file store, newest first (at most `limit`). */
export function listMailFiles(dir: string, limit = 200): StoredMail[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => FILE.test(f));
  } catch {
    return [];
  }
  return files
    .sort()
    .reverse()
    .slice(0, limit)
    .map((file) => {
      const head = readHead(join(dir, file));
      const header = (name: string) => decodeWords(new RegExp(`^${name}:[ \\t]*((?:.*)(?:\\n[ \\t].*)*)`, 'im').exec(head)?.[1] ?? '');
      return { file, to: header('To'), subject: header('Subject'), date: header('Date') };
    });
}

/** One stored mail: the message as written, and a view of it a person reads. */
export interface StoredMailText {
  raw: string;
  /** From, To, Subject, Date (and List-Unsubscribe) decoded, then the plain-text part decoded. */
  readable: string;
}

/** One stored mail; undefined for a name that is not one of the store's files. */
export function readMailFile(dir: string, file: string): StoredMailText | undefined {
  if (!FILE.test(file)) return undefined;
  let raw: string;
  try {
    raw = readFileSync(join(dir, file), 'utf8');
  } catch {
    return undefined;
  }
  const split = raw.indexOf('\n\n');
  const head = raw.slice(0, split);
  const header = (name: string) => decodeWords(new RegExp(`^${name}:[ \\t]*((?:.*)(?:\\n[ \\t].*)*)`, 'im').exec(head)?.[1] ?? '');
  const lines = ['From', 'To', 'Subject', 'Date', 'List-Unsubscribe'].filter((h) => header(h)).map((h) => `${h}: ${header(h)}`);
  return { raw, readable: `${lines.join('\n')}\n\n${plainPart(raw) ?? '(no text part)'}` };
}

/** The text/plain part of a message as nodemailer writes it (multipart/alternative), decoded. */
function plainPart(raw: string): string | undefined {
  const boundary = /boundary="([^"]+)"/.exec(raw)?.[1];
  const parts = boundary ? raw.split(`--${boundary}`) : [raw.slice(raw.indexOf('\n\n'))];
  for (const part of parts) {
    const split = part.indexOf('\n\n');
    const head = part.slice(0, split);
    if (boundary && !/^Content-Type:\s*text\/plain/im.test(head)) continue;
    const body = part.slice(split + 2).replace(/\n$/, '');
    const encoding = /^Content-Transfer-Encoding:\s*(\S+)/im.exec(head)?.[1]?.toLowerCase();
    if (encoding === 'base64') return Buffer.from(body, 'base64').toString('utf8');
    if (encoding === 'quoted-printable') {
      const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
      return Buffer.from(bytes, 'latin1').toString('utf8');
    }
    return body;
  }
  return undefined;
}

/** The header block of a file (its first 16 KB is plenty). */
function readHead(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(16_384);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const text = buf.subarray(0, n).toString('utf8');
    const end = text.indexOf('\n\n');
    return end === -1 ? text : text.slice(0, end);
  } finally {
    closeSync(fd);
  }
}

/** RFC 2047 encoded words (`=?UTF-8?Q?…?=`, `=?UTF-8?B?…?=`) back to text, folding undone. */
function decodeWords(value: string): string {
  const word = /=\?[\w-]+\?([QqBb])\?([^?]*)\?=/g;
  // Adjacent words are one run of bytes (a character may be split between two of them).
  return value
    .replace(/\r?\n[ \t]+/g, ' ')
    .replace(/(?:=\?[\w-]+\?[QqBb]\?[^?]*\?=[ \t]*)+/g, (run) => {
      const bytes = [...run.matchAll(word)].map(([, enc, data]) =>
        enc!.toUpperCase() === 'B'
          ? Buffer.from(data!, 'base64')
          : Buffer.from(
              data!.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
              'latin1',
            ),
      );
      return Buffer.concat(bytes).toString('utf8') + /[ \t]*$/.exec(run)![0];
    })
    .trim();
}
