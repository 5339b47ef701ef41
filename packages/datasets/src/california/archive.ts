import { DataError } from '@chainrule/autograd';
import type { ReadEntry } from 'tar';
import { Parser } from 'tar';

/** True when the bytes look like a gzip stream or a tar archive rather than text. */
export function isArchive(bytes: Uint8Array): boolean {
  const gzip = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
  const ustar = bytes.length >= 262 && Buffer.from(bytes.subarray(257, 262)).toString('latin1') === 'ustar';
  return gzip || ustar;
}

/**
 * Reads one member of a (gzipped) tar archive held in memory, with node-tar. A damaged archive or a missing
 * member is a DataError naming `source`.
 */
export async function readTarMember(archive: Uint8Array, member: string, source: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let found = false;
  const parser = new Parser({
    strict: true,
    filter: (path: string) => path === member,
    onReadEntry: (entry: ReadEntry) => {
      found = true;
      entry.on('data', (chunk: Buffer) => chunks.push(chunk));
    },
  });
  await new Promise<void>((resolve, reject) => {
    parser.on('error', reject);
    parser.on('end', () => resolve());
    parser.end(Buffer.from(archive.buffer, archive.byteOffset, archive.byteLength));
  }).catch((error: Error) => {
    throw new DataError(
      source,
      `is not a readable .tgz archive (${error.message})`,
      'fetch the archive again',
    );
  });
  if (!found) {
    throw new DataError(
      source,
      `has no member ${member}`,
      'is this the original cal_housing.tgz from StatLib?',
    );
  }
  return Buffer.concat(chunks);
}
