import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import writeFileAtomic from 'write-file-atomic';
import { dirname } from 'node:path';
import { DataError } from '@chainrule/autograd';

/** Lower-case hex SHA-256 of some bytes. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Throws a DataError naming `source` unless the bytes have the expected SHA-256. */
export function verifySha256(bytes: Uint8Array, expected: string, source: string, hint: string): void {
  const actual = sha256Hex(bytes);
  if (actual !== expected.toLowerCase()) {
    throw new DataError(source, `SHA-256 is ${actual} (${bytes.length} bytes), expected ${expected}`, hint);
  }
}

/**
 * Downloads `url`, checks its SHA-256 and only then stores it at `dest` atomically (a temporary file in the
 * same folder, renamed into place), so the cache never holds a partial or unverified file.
 */
export async function downloadVerified(
  url: string,
  sha256: string,
  dest: string,
  timeoutMs: number,
): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`);
    bytes = new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    throw new DataError(
      `download ${url}`,
      `failed: ${(error as Error).message}`,
      `without a network, fetch the file elsewhere and pass { path }, or put it in the cache as ${dest}`,
    );
  }
  verifySha256(
    bytes,
    sha256,
    `download ${url}`,
    'the download is damaged or the file changed upstream; nothing was cached',
  );
  mkdirSync(dirname(dest), { recursive: true });
  writeFileAtomic.sync(dest, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  return bytes;
}
