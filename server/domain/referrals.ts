// Who may be paid for a referral: pure rules, no I/O. The services ask these at signup (is the
// code the new member's own?) and at the first visit (is the referrer over the cap?).

/** What a referral code looks like (`newReferralCode`: 10 base32 characters); anything else invites nobody. */
export const REFERRAL_CODE_PATTERN = /^[a-z2-7]{10}$/;

/** The ledger actor of what a referral pays the referrer: the system, not the till that stamped the friend. */
export const REFERRAL_ACTOR = 'system:referral';

/** The window of the referrer's cap (`program.referral.monthlyCap`). */
export const REFERRAL_CAP_WINDOW_MS = 30 * 86_400_000;

/** Mailboxes that ignore dots in the local part (and are one and the same). */
const DOTLESS = new Map([
  ['gmail.com', 'gmail.com'],
  ['googlemail.com', 'gmail.com'],
]);

/**
 * One mailbox, however it is written: lower case, without a `+tag`, and for Gmail without the
 * dots and with googlemail.com as gmail.com. `Alice.Martin+1@GoogleMail.com` and
 * `alicemartin@gmail.com` are the same person's.
 */
export function mailbox(email: string): string {
  const e = email.trim().toLowerCase();
  const at = e.lastIndexOf('@');
  if (at < 1) return e;
  let local = e.slice(0, at);
  let domain = e.slice(at + 1);
  const plus = local.indexOf('+');
  if (plus > 0) local = local.slice(0, plus);
  const dotless = DOTLESS.get(domain);
  if (dotless) {
    domain = dotless;
    local = local.replaceAll('.', '');
  }
  return `${local}@${domain}`;
}

/**
 * A phone number's last nine digits: the same number written `+33 6 12 34 56 78`,
 * `0033612345678` or `06 12 34 56 78` gives the same key. Undefined for fewer than six digits
 * (not a number to compare).
 */
export function phoneKey(phone: string | null | undefined): string | undefined {
  const digits = (phone ?? '').replace(/\D/g, '');
  return digits.length < 6 ? undefined : digits.slice(-9);
}

/** Why a signup's referral code pays nobody: the new member's own address, or the referrer's phone. */
export type ReferralRefusal = 'self' | 'same_phone';

/**
 * Whether a new member may be paid as the referrer's friend: not with the referrer's own mailbox
 * (`alice+1@example.com` using Alice's code), nor with the referrer's phone. The member joins
 * either way; a refused referral is simply not recorded.
 */
export function referralRefusal(
  referrer: { email: string; phone: string | null },
  referee: { email: string; phone?: string | null },
): ReferralRefusal | null {
  if (mailbox(referrer.email) === mailbox(referee.email)) return 'self';
  const phone = phoneKey(referee.phone);
  if (phone !== undefined && phone === phoneKey(referrer.phone)) return 'same_phone';
  return null;
}

/** Whether the referrer has had its cap of rewarded referrals in the window: this one is refused. */
export const overReferralCap = (rewardedInWindow: number, monthlyCap: number): boolean => rewardedInWindow >= monthlyCap;
