// What fidelio's mails say, in the member's language (French or English): the welcome mail, the
// card-recovery mail and a marketing mail, each as plain text and as simple HTML (no remote
// image, no tracking: the links are the card's own). Pure: plain values in, a message out.
import { type Locale, localize } from '../../common/localize.ts';
import type { OutgoingMail } from './transport.ts';

/** The member a mail goes to, and whose program it is about. */
export interface MailMember {
  name: string;
  email: string;
  language: Locale;
  merchantName: string;
  programName: string;
}

/** A mail ready for a transport but for its sender and Message-ID: one recipient, its subject, its two parts. */
export type Message = Omit<OutgoingMail, 'from' | 'messageId'>;

/** Where the welcome mail leads: the card's page, and the wallets this server issues (absent: not offered). */
export interface WelcomeLinks {
  page: string;
  applePass?: string;
  googleSave?: string;
}

/**
 * One line of header text: control characters (CR and LF among them: a `\r\nBcc:` in a name)
 * and Unicode line separators become spaces. The transport encodes what is left.
 */
export const oneLine = (s: string) =>
  s
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const strings = localize({
  hello: [(name: string) => `Hello ${name},`, (name: string) => `Bonjour ${name},`],
  welcomeSubject: [(merchant: string) => `${merchant}: your loyalty card`, (merchant: string) => `${merchant} : votre carte de fidélité`],
  welcome: [
    (program: string, merchant: string) => `Welcome to “${program}” at ${merchant}! Your card is ready:`,
    (program: string, merchant: string) => `Bienvenue dans le programme « ${program} » de ${merchant} ! Votre carte est prête :`,
  ],
  openCard: ['Open my card', 'Ouvrir ma carte'],
  atTheCounter: ['Show its QR code at the counter on each visit.', 'Montrez son QR code en caisse à chaque visite.'],
  addToPhone: ['Add it to your phone:', 'Ajoutez-la à votre téléphone :'],
  labelled: [(label: string, url: string) => `${label}: ${url}`, (label: string, url: string) => `${label} : ${url}`],
  apple: ['Apple Wallet', 'Apple Wallet'],
  google: ['Google Wallet', 'Google Wallet'],
  keep: [
    'Keep this e-mail: the link opens your card on any device.',
    'Gardez cet e-mail : le lien ouvre votre carte sur n’importe quel appareil.',
  ],
  whyWelcome: [
    (program: string, merchant: string) => `You get this e-mail because you joined “${program}” at ${merchant}.`,
    (program: string, merchant: string) => `Vous recevez cet e-mail car vous avez rejoint le programme « ${program} » de ${merchant}.`,
  ],
  recoverySubject: [
    (merchant: string) => `${merchant}: the link to your card`,
    (merchant: string) => `${merchant} : le lien de votre carte`,
  ],
  recovery: [
    (program: string, merchant: string) => `Here is the link to your “${program}” card at ${merchant}:`,
    (program: string, merchant: string) => `Voici le lien de votre carte « ${program} » de ${merchant} :`,
  ],
  notYou: [
    'Someone (you, we hope) asked for it. If it was not you, ignore this e-mail: nothing has changed.',
    'Quelqu’un (vous, sans doute) l’a demandé. Si ce n’est pas vous, ignorez cet e-mail : rien n’a changé.',
  ],
  whyMarketing: [
    (merchant: string) => `You get this e-mail because you agreed to receive news from ${merchant}.`,
    (merchant: string) => `Vous recevez cet e-mail car vous avez accepté de recevoir les nouvelles de ${merchant}.`,
  ],
  unsubscribe: ['Unsubscribe', 'Se désabonner'],
});

/** A mail the server sends by itself (RFC 3834): vacation responders do not answer it. */
const AUTOMATIC = { 'Auto-Submitted': 'auto-generated' };

/** A paragraph of the HTML part: text escaped, line breaks kept. */
const p = (text: string, style = '') => `<p${style ? ` style="${style}"` : ''}>${escapeHtml(text).replace(/\n/g, '<br>\n')}</p>`;
const a = (href: string, label: string) => `<a href="${escapeHtml(href)}">${escapeHtml(label)}</a>`;
const SMALL = 'color:#57606a;font-size:13px';

function html(language: Locale, subject: string, body: string[]): string {
  return [
    '<!doctype html>',
    `<html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">`,
    `<title>${escapeHtml(subject)}</title></head>`,
    '<body style="margin:0;padding:24px;font:16px/1.5 -apple-system,\'Segoe UI\',Roboto,sans-serif;color:#1f2328">',
    '<div style="max-width:560px;margin:0 auto">',
    ...body,
    '</div></body></html>',
    '',
  ].join('\n');
}

function message(m: MailMember, subject: string, text: string[], body: string[], headers: Record<string, string> = {}): Message {
  const s = oneLine(subject);
  return {
    to: { name: oneLine(m.name), address: m.email },
    subject: s,
    text: text.join('\n') + '\n',
    html: html(m.language, s, body),
    language: m.language,
    headers,
  };
}

/** The welcome mail of a new member: the card's page and the wallets this server issues. */
export function welcomeMail(m: MailMember, links: WelcomeLinks): Message {
  const t = strings(m.language);
  const name = oneLine(m.name);
  const wallets = [
    links.applePass && { label: t.apple, url: links.applePass },
    links.googleSave && { label: t.google, url: links.googleSave },
  ].filter((w): w is { label: string; url: string } => Boolean(w));
  const text = [
    t.hello(name),
    '',
    t.welcome(m.programName, m.merchantName),
    links.page,
    '',
    t.atTheCounter,
    ...(wallets.length ? ['', t.addToPhone, ...wallets.map((w) => t.labelled(w.label, w.url))] : []),
    '',
    t.keep,
    '',
    m.merchantName,
    '',
    '-- ',
    t.whyWelcome(m.programName, m.merchantName),
  ];
  const body = [
    p(t.hello(name)),
    p(t.welcome(m.programName, m.merchantName)),
    `<p>${a(links.page, t.openCard)}</p>`,
    p(t.atTheCounter),
    ...(wallets.length
      ? [`<p>${escapeHtml(t.addToPhone)}</p>`, `<ul>${wallets.map((w) => `<li>${a(w.url, w.label)}</li>`).join('')}</ul>`]
      : []),
    p(t.keep),
    p(m.merchantName),
    p(t.whyWelcome(m.programName, m.merchantName), SMALL),
  ];
  return message(m, t.welcomeSubject(m.merchantName), text, body, AUTOMATIC);
}

/** The card-recovery mail: the card's page, for a member who lost it. */
export function recoveryMail(m: MailMember, links: { page: string }): Message {
  const t = strings(m.language);
  const name = oneLine(m.name);
  const text = [t.hello(name), '', t.recovery(m.programName, m.merchantName), links.page, '', t.notYou, '', m.merchantName];
  const body = [
    p(t.hello(name)),
    p(t.recovery(m.programName, m.merchantName)),
    `<p>${a(links.page, t.openCard)}</p>`,
    p(t.notYou, SMALL),
    p(m.merchantName),
  ];
  return message(m, t.recoverySubject(m.merchantName), text, body, AUTOMATIC);
}

/**
 * A marketing mail (the merchant's words) to a member who consented: with the way out in the
 * text and in the headers, one click (RFC 8058: List-Unsubscribe and List-Unsubscribe-Post).
 */
export function marketingMail(m: MailMember, content: { subject: string; text: string }, unsubscribeUrl: string): Message {
  const t = strings(m.language);
  const name = oneLine(m.name);
  const text = [
    t.hello(name),
    '',
    content.text.trim(),
    '',
    m.merchantName,
    '',
    '-- ',
    t.whyMarketing(m.merchantName),
    t.labelled(t.unsubscribe, unsubscribeUrl),
  ];
  const body = [
    p(t.hello(name)),
    ...content.text
      .trim()
      .split(/\n{2,}/)
      .map((para) => p(para)),
    p(m.merchantName),
    `<p style="${SMALL}">${escapeHtml(t.whyMarketing(m.merchantName))}<br>\n${a(unsubscribeUrl, t.unsubscribe)}</p>`,
  ];
  return message(m, content.subject, text, body, {
    'List-Unsubscribe': `<${unsubscribeUrl}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  });
}
