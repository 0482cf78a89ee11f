// Apple's PassKit web service (API.md, "Wallet"): the shapes Apple specifies. The routes check
// them by hand, after the pass's token (a stranger learns nothing from a 400).
import { z } from '@hono/zod-openapi';

// Apple's deviceLibraryIdentifier and push tokens are hex today; allow a little more, refuse junk.
export const deviceId = z.string().regex(/^[A-Za-z0-9._-]{1,128}$/, 'not a device library identifier');

export const registrationBody = z
  .object({
    pushToken: z
      .string()
      .regex(/^[0-9a-fA-F]{64,200}$/, 'must be the hexadecimal push token')
      .transform((t) => t.toLowerCase()),
  })
  .openapi('DeviceRegistration');

// A tag we gave out: microseconds since the epoch.
export const serialsQuery = z.object({
  passesUpdatedSince: z
    .string()
    .regex(/^\d{1,18}$/, 'not a tag this server gave out')
    .optional()
    .openapi({ description: 'The `lastUpdated` of the previous answer.' }),
});

export const logBody = z.object({ logs: z.array(z.string().max(4000)).max(100) }).openapi('DeviceLogs');

export const updatedSerialsSchema = z
  .object({
    serialNumbers: z.array(z.string()),
    lastUpdated: z.string().openapi({ description: 'An opaque tag (never a number): send it back as `passesUpdatedSince`.' }),
  })
  .openapi('UpdatedSerials');

export const walletPathParams = {
  device: z.string().openapi({ description: 'The device library identifier.' }),
  passType: z.string().openapi({ example: 'pass.com.example.loyalty', description: 'This server’s Pass Type ID.' }),
  serial: z.string().openapi({ description: 'The pass’s serial number (the card’s serial).' }),
};
