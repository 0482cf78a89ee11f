// A minimal ZIP writer for .pkpass files: every entry STORED (a pass is mostly PNGs, which deflate
// would not shrink), CRC-32 from zlib, UTF-8 names, a fixed timestamp so the same files always give
// the same bytes. No ZIP64: a pass is far below 65,535 entries and 4 GiB.
import { crc32 } from 'node:zlib';

const DOS_TIME = 0; // 00:00:00
const DOS_DATE = ((2020 - 1980) << 9) | (1 << 5) | 1; // 2020-01-01
const UTF8_NAMES = 1 << 11;
const VERSION = 20; // 2.0, MS-DOS attributes

export function zipStored(files: ReadonlyArray<readonly [name: string, data: Uint8Array]>): Buffer {
  if (files.length > 0xffff) throw new Error('zipStored: too many entries for a ZIP without ZIP64');
  const parts: Uint8Array[] = [];
  const central: Buffer[] = [];
  const seen = new Set<string>();
  let offset = 0;
  for (const [name, data] of files) {
    if (seen.has(name)) throw new Error(`zipStored: duplicate entry ${name}`);
    seen.add(name);
    const nameBytes = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    if (offset + 30 + nameBytes.length + data.length > 0xffffffff) throw new Error('zipStored: archive exceeds 4 GiB');

    const local = Buffer.alloc(30 + nameBytes.length);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(VERSION, 4); // version needed to extract
    local.writeUInt16LE(UTF8_NAMES, 6);
    local.writeUInt16LE(0, 8); // method: stored
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18); // compressed size
    local.writeUInt32LE(data.length, 22); // uncompressed size
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28); // extra field length
    nameBytes.copy(local, 30);

    const entry = Buffer.alloc(46 + nameBytes.length);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(VERSION, 4); // version made by
    local.copy(entry, 6, 4, 30); // version needed … extra length: same as the local header
    // comment length, disk number, internal and external attributes: 0
    entry.writeUInt32LE(offset, 42);
    nameBytes.copy(entry, 46);

    parts.push(local, data);
    central.push(entry);
    offset += local.length + data.length;
  }
  const centralSize = central.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  // disk numbers: 0
  end.writeUInt16LE(files.length, 8); // entries on this disk
  end.writeUInt16LE(files.length, 10); // entries in total
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  // comment length: 0
  return Buffer.concat([...parts, ...central, end]);
}
