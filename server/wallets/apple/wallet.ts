import { join } from 'node:path';
import { type AppleCertificates, devCertificates, loadAppleCertificates } from '../../../passes/apple/certificates.ts';
import { buildPass, type PassIdentity, passFileName } from '../../../passes/apple/pass.ts';
import { BuildCache } from '../../../passes/cache.ts';
import { PassImages } from '../../../passes/images.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/index.ts';
import type { PassCardRow } from '../../db/queries/apple.ts';
import { getMerchantLogo } from '../../db/queries/logos.ts';
import { passContent } from '../content.ts';

/** Signed passes kept in memory: about 40 KB each, so some 1,600 cards' latest versions. */
const PASS_CACHE_BYTES = 64 * 1024 * 1024;

/** A card's pass, as the routes serve it. */
export interface SignedPass {
  bytes: Buffer;
  version: number;
  updatedAt: Date;
  /** What the downloaded file is called: after the shop (`passFileName`). */
  fileName: { ascii: string; utf8: string };
}

/**
 * Apple Wallet for this deployment: who signs, the pass settings, and the cache of signed
 * passes by card version (a phone asking again for an unchanged pass costs no signing).
 */
export class AppleWallet {
  readonly identity: PassIdentity;
  readonly #passes = new BuildCache<Buffer>({ maxSize: PASS_CACHE_BYTES, sizeOf: (b) => b.length });

  constructor(
    readonly config: Config,
    readonly certificates: AppleCertificates,
    readonly images: PassImages,
    /** Where device logs (`POST /apple/v1/log`) go. */
    readonly log: (line: string) => void = console.warn,
  ) {
    this.identity = { passTypeId: certificates.passTypeId, teamId: certificates.teamId, webServiceUrl: `${config.publicUrl}/apple` };
  }

  /** The signed pass of a card, from its row: built once per card version. */
  async pass(db: Db, card: PassCardRow): Promise<SignedPass> {
    const bytes = await this.#passes.get(`${card.serial}:${card.version}`, async () => {
      // The logo's bytes only when a pass is built (most requests are answered from the cache).
      const logo = card.logo_sha256 ? await getMerchantLogo(db, card.merchant_id) : undefined;
      return buildPass(passContent(this.config, card, logo), this.identity, this.certificates, this.images);
    });
    return { bytes, version: card.version, updatedAt: card.updated_at, fileName: passFileName(card.merchant_name) };
  }

  stats() {
    return this.#passes.stats();
  }
}

/**
 * Apple Wallet as configured: the Pass Type ID certificate from the environment; without it,
 * in development, a generated development CA and signer kept in `DATA_DIR/apple` (passes
 * verify against that CA, but an iPhone installs only passes signed through Apple's); in
 * production without it, none (null).
 */
export async function openAppleWallet(config: Config, log?: (line: string) => void): Promise<AppleWallet | null> {
  const { passTypeId, teamId, certificates } = config.apple;
  let certs: AppleCertificates;
  if (certificates) certs = loadAppleCertificates({ ...certificates, passTypeId, teamId });
  else if (config.env === 'production') return null;
  else certs = await devCertificates(join(config.dataDir, 'apple'), passTypeId, teamId);
  return new AppleWallet(config, certs, new PassImages(), log);
}
