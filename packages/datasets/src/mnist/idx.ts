import { DataError, formatShape, sizeOf } from '@chainrule/autograd';

/** An IDX array of unsigned bytes: its dimensions and its values (a view into the file's bytes). */
export interface IdxArray {
  readonly dims: readonly number[];
  readonly values: Uint8Array;
}

const UNSIGNED_BYTE = 0x08;

/**
 * Parses an IDX file (the MNIST format): magic number 0x0000 08 nd, then nd big-endian uint32 dimensions,
 * then the values row-major. Checks the magic number, that there are `expectedDims` dimensions and that
 * the file length is exactly header + values; any mismatch is a DataError naming `file`.
 */
export function parseIdx(bytes: Uint8Array, file: string, expectedDims: number): IdxArray {
  const expectedMagic = `0x000008${expectedDims.toString(16).padStart(2, '0')}`;
  if (bytes.length < 4) {
    throw new DataError(
      file,
      `only ${bytes.length} bytes, too short for an IDX header`,
      'the file is truncated',
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  if (bytes[0] !== 0 || bytes[1] !== 0 || bytes[2] !== UNSIGNED_BYTE || bytes[3] !== expectedDims) {
    throw new DataError(
      file,
      `magic number 0x${magic.toString(16).padStart(8, '0')} is not the expected ${expectedMagic} (IDX, unsigned bytes, ${expectedDims} dimension(s))`,
      'this is not an IDX file of the expected kind; check the file name (images are idx3, labels idx1)',
    );
  }
  const header = 4 + 4 * expectedDims;
  if (bytes.length < header) {
    throw new DataError(
      file,
      `${bytes.length} bytes, but an IDX header with ${expectedDims} dimensions takes ${header}`,
      'the file is truncated; fetch it again',
    );
  }
  const dims = Array.from({ length: expectedDims }, (_, d) => view.getUint32(4 + 4 * d));
  const expectedLength = header + sizeOf(dims);
  if (bytes.length !== expectedLength) {
    throw new DataError(
      file,
      `${bytes.length} bytes, but its header promises shape ${formatShape(dims)}, i.e. ${expectedLength} bytes`,
      bytes.length < expectedLength ? 'the file is truncated; fetch it again' : 'the file has trailing data',
    );
  }
  return { dims, values: new Uint8Array(bytes.buffer, bytes.byteOffset + header, expectedLength - header) };
}
