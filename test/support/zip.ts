// Opens a zip (a .pkpass) in tests, with an implementation independent of passes/apple/zip.ts.
import { unzipSync } from 'fflate';

export function readZip(buf: Uint8Array): Map<string, Buffer> {
  const files = unzipSync(buf);
  return new Map(Object.entries(files).map(([name, data]) => [name, Buffer.from(data.buffer, data.byteOffset, data.byteLength)]));
}
