// A local SMTP server (smtp-server, in process) that receives the real messages: it requires the
// login of SMTP_URL, records each accepted mail with its envelope and its text (parsed with
// mailparser), and can be told to answer otherwise for a message — refuse the recipient (5xx) or
// the message (4xx / 5xx after the data), drop the connection in the middle of it, or hang.
import type { AddressInfo, Socket } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

export const SMTP_USER = 'fidelio';
export const SMTP_PASS = 'smtp-secret';

/**
 * How the fake answers one message. `rcpt`: the recipient is refused with `code`; `data`: the
 * message is refused with `code` once sent; `drop`: the connection is closed after part of the
 * data; `hang`: the message is read and never answered.
 */
export type SmtpAnswer = { at: 'rcpt' | 'data'; code: number; message?: string } | 'drop' | 'hang';

export interface ReceivedMail {
  envelope: { from: string; to: string[] };
  /** The login the client gave. */
  user: string | undefined;
  raw: string;
  /** Parsed with mailparser (unless the fake was started with `parse: false`). */
  parsed: ParsedMail | undefined;
  at: number;
}

/** A message that reached DATA, and what became of it. */
export interface SmtpAttempt {
  to: string[];
  outcome: 'accepted' | 'refused' | 'dropped' | 'hung';
  at: number;
}

export interface FakeSmtp {
  /** SMTP_URL: with the login the fake requires. */
  readonly url: string;
  readonly port: number;
  /** Accepted mails, in arrival order. */
  readonly mails: ReceivedMail[];
  /** Every message that got to DATA. */
  readonly attempts: SmtpAttempt[];
  /** Recipients refused at RCPT TO. */
  readonly refusedRecipients: string[];
  /** Queues answers for the next messages (any recipient), one per message. */
  plan(...answers: SmtpAnswer[]): void;
  /** Queues answers for the next messages to `address`. */
  planFor(address: string, ...answers: SmtpAnswer[]): void;
  /** Accepted mails to an address. */
  to(address: string): ReceivedMail[];
  waitFor(test: () => boolean | Promise<boolean>, timeoutMs?: number, what?: string): Promise<void>;
  close(): Promise<void>;
}

export async function startFakeSmtp(opts: { parse?: boolean; user?: string; pass?: string } = {}): Promise<FakeSmtp> {
  const parse = opts.parse ?? true;
  const user = opts.user ?? SMTP_USER;
  const pass = opts.pass ?? SMTP_PASS;
  const mails: ReceivedMail[] = [];
  const attempts: SmtpAttempt[] = [];
  const refusedRecipients: string[] = [];
  const anyPlan: SmtpAnswer[] = [];
  const plans = new Map<string, SmtpAnswer[]>();
  const sockets = new Map<number, Socket>();

  /** The next answer planned for a message to these recipients at this stage, taken off its queue. */
  const take = (to: string[], stage: 'rcpt' | 'data'): SmtpAnswer | undefined => {
    const fits = (a: SmtpAnswer | undefined) => a !== undefined && (typeof a === 'string' ? stage === 'data' : a.at === stage);
    for (const address of to) {
      const q = plans.get(address.toLowerCase());
      if (fits(q?.[0])) return q!.shift();
    }
    return fits(anyPlan[0]) ? anyPlan.shift() : undefined;
  };
  const smtpError = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });

  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authOptional: false,
    logger: false,
    closeTimeout: 100,
    onAuth(auth, _session, callback) {
      if (auth.username === user && auth.password === pass) return callback(null, { user: auth.username });
      callback(smtpError(535, '5.7.8 Authentication credentials invalid'));
    },
    onRcptTo(address, _session, callback) {
      const answer = take([address.address], 'rcpt');
      if (answer && typeof answer !== 'string') {
        refusedRecipients.push(address.address);
        return callback(smtpError(answer.code, answer.message ?? `${answer.code} refused by the fake`));
      }
      callback();
    },
    onData(stream, session: SMTPServerSession, callback) {
      const to = session.envelope.rcptTo.map((r) => r.address);
      const answer = take(to, 'data');
      const attempt: SmtpAttempt = { to, outcome: 'accepted', at: Date.now() };
      attempts.push(attempt);
      const chunks: Buffer[] = [];
      if (answer === 'drop') {
        attempt.outcome = 'dropped';
        stream.once('data', () => sockets.get(session.remotePort)?.destroy());
        stream.resume();
        return;
      }
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        if (answer === 'hang') return void (attempt.outcome = 'hung');
        if (answer) {
          attempt.outcome = 'refused';
          return callback(smtpError(answer.code, answer.message ?? `${answer.code} refused by the fake`));
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        mails.push({
          envelope: { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to },
          user: session.user,
          raw,
          parsed: parse ? await simpleParser(raw) : undefined,
          at: Date.now(),
        });
        callback();
      });
    },
  });
  server.server.on('connection', (s: Socket) => {
    const port = s.remotePort!;
    sockets.set(port, s);
    s.on('close', () => sockets.delete(port));
  });
  await new Promise<void>((resolve, reject) => server.listen(0, '127.0.0.1', resolve).once('error', reject));
  const port = (server.server.address() as AddressInfo).port;

  return {
    url: `smtp://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@127.0.0.1:${port}`,
    port,
    mails,
    attempts,
    refusedRecipients,
    plan: (...answers) => void anyPlan.push(...answers),
    planFor(address, ...answers) {
      const key = address.toLowerCase();
      plans.set(key, [...(plans.get(key) ?? []), ...answers]);
    },
    to: (address) => mails.filter((m) => m.envelope.to.some((t) => t.toLowerCase() === address.toLowerCase())),
    async waitFor(test, timeoutMs = 5000, what = 'condition') {
      const deadline = Date.now() + timeoutMs;
      while (!(await test())) {
        if (Date.now() > deadline) throw new Error(`fake SMTP: timed out after ${timeoutMs} ms waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    async close() {
      for (const s of sockets.values()) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
