/**
 * The safetensors format, written and read by hand (it is tiny): an 8-byte little-endian header length N,
 * N bytes of JSON ({ name: { dtype, shape, data_offsets: [begin, end] }, __metadata__: { string: string } }),
 * then the raw little-endian tensor bytes. Reading checks everything a damaged file could get wrong and
 * throws a FormatError that says what it found.
 */
import { createHash } from 'node:crypto';
import type { Tensor } from '@chainrule/autograd';
import { FormatError, tensor } from '@chainrule/autograd';

const DTYPES = { F32: { bytes: 4, dtype: 'float32' }, F64: { bytes: 8, dtype: 'float64' } } as const;
type FileDType = keyof typeof DTYPES;
const CHECKSUM_KEY = 'chainrule.sha256';
/** Headers larger than this are treated as corruption rather than read. */
const MAX_HEADER_BYTES = 100 * 1024 * 1024;

interface HeaderEntry {
  dtype: FileDType;
  shape: number[];
  data_offsets: [number, number];
}

/** A decoded file: its tensors in file order and its string metadata. */
export interface Decoded {
  readonly tensors: ReadonlyMap<string, Tensor>;
  readonly metadata: Readonly<Record<string, string>>;
}

function fileDType(where: string, name: string, t: Tensor): FileDType {
  if (t.dtype === 'float32') return 'F32';
  if (t.dtype === 'float64') return 'F64';
  throw new FormatError(where, `tensor '${name}' has dtype ${t.dtype}`, 'only float32 and float64 are saved');
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Encodes named tensors and metadata; a checksum of the data is added to the metadata. */
export function encode(
  where: string,
  tensors: Iterable<readonly [string, Tensor]>,
  metadata: Readonly<Record<string, string>>,
): Uint8Array {
  const entries = [...tensors];
  const header: Record<string, HeaderEntry | Record<string, string>> = {};
  let offset = 0;
  for (const [name, t] of entries) {
    const dtype = fileDType(where, name, t);
    const end = offset + t.size * DTYPES[dtype].bytes;
    header[name] = { dtype, shape: [...t.shape], data_offsets: [offset, end] };
    offset = end;
  }
  const data = new Uint8Array(offset);
  const view = new DataView(data.buffer);
  for (const [name, t] of entries) {
    const [begin] = (header[name] as HeaderEntry).data_offsets;
    const write = t.dtype === 'float32' ? view.setFloat32.bind(view) : view.setFloat64.bind(view);
    const step = t.dtype === 'float32' ? 4 : 8;
    for (let i = 0; i < t.size; i++) write(begin + i * step, t.data[i], true);
  }
  header.__metadata__ = { ...metadata, [CHECKSUM_KEY]: sha256(data) };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8; // keeps the data 8-byte aligned, as the format recommends
  const out = new Uint8Array(8 + padded + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(padded), true);
  out.fill(0x20, 8, 8 + padded);
  out.set(json, 8);
  out.set(data, 8 + padded);
  return out;
}

function parseHeader(
  where: string,
  bytes: Uint8Array,
): { header: Record<string, unknown>; dataStart: number } {
  if (bytes.length < 8) {
    throw new FormatError(
      where,
      `truncated: ${bytes.length} bytes`,
      'a safetensors file starts with an 8-byte header length',
    );
  }
  const length = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (length > BigInt(MAX_HEADER_BYTES)) {
    throw new FormatError(
      where,
      `header length ${length} is implausible`,
      'the file is corrupted or not safetensors',
    );
  }
  const n = Number(length);
  if (8 + n > bytes.length) {
    throw new FormatError(
      where,
      `truncated: the header claims ${n} bytes but only ${bytes.length - 8} follow`,
      'the file was cut short; save it again',
    );
  }
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (e) {
    throw new FormatError(
      where,
      `the JSON header is corrupted (${(e as Error).message})`,
      'the file is damaged',
    );
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new FormatError(where, 'the header is not a JSON object', 'the file is damaged');
  }
  return { header: header as Record<string, unknown>, dataStart: 8 + n };
}

function checkEntry(where: string, name: string, raw: unknown, dataLength: number): HeaderEntry {
  const e = raw as Partial<HeaderEntry> | null;
  const bad = (problem: string): never => {
    throw new FormatError(where, `tensor '${name}': ${problem}`, 'the header is damaged');
  };
  if (typeof e !== 'object' || e === null) return bad('entry is not an object');
  if (typeof e.dtype !== 'string' || !(e.dtype in DTYPES))
    return bad(`unsupported dtype ${JSON.stringify(e.dtype)} (F32 and F64 are read)`);
  const shape = e.shape;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0))
    return bad(`invalid shape ${JSON.stringify(shape)}`);
  const offsets = e.data_offsets;
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !offsets.every((o) => Number.isInteger(o) && o >= 0)
  ) {
    return bad(`invalid data_offsets ${JSON.stringify(offsets)}`);
  }
  const [begin, end] = offsets;
  const expected = shape.reduce((a, b) => a * b, 1) * DTYPES[e.dtype].bytes;
  if (end - begin !== expected)
    return bad(
      `data_offsets [${begin}, ${end}] hold ${end - begin} bytes, shape ${JSON.stringify(shape)} needs ${expected}`,
    );
  if (end > dataLength) {
    throw new FormatError(
      where,
      `truncated: tensor '${name}' ends at byte ${end} of the data but only ${dataLength} bytes are present`,
      'the file was cut short; save it again',
    );
  }
  return e as HeaderEntry;
}

function checkTiling(where: string, entries: [string, HeaderEntry][], dataLength: number): void {
  const sorted = [...entries].sort((a, b) => a[1].data_offsets[0] - b[1].data_offsets[0]);
  let cursor = 0;
  for (const [name, e] of sorted) {
    if (e.data_offsets[0] !== cursor) {
      throw new FormatError(
        where,
        `tensor '${name}' starts at byte ${e.data_offsets[0]}, expected ${cursor}`,
        'tensors overlap or leave gaps: the header is damaged',
      );
    }
    cursor = e.data_offsets[1];
  }
  if (cursor !== dataLength) {
    throw new FormatError(
      where,
      `${dataLength - cursor} bytes after the last tensor`,
      'the file has trailing garbage or a damaged header',
    );
  }
}

function readMetadata(where: string, raw: unknown): Record<string, string> {
  if (raw === undefined) return {};
  const ok =
    typeof raw === 'object' && raw !== null && Object.values(raw).every((v) => typeof v === 'string');
  if (!ok) throw new FormatError(where, '__metadata__ is not a map of strings', 'the header is damaged');
  return raw as Record<string, string>;
}

/** Decodes and validates a safetensors file; `where` (the path) names the file in errors. */
export function decode(where: string, bytes: Uint8Array): Decoded {
  const { header, dataStart } = parseHeader(where, bytes);
  const data = bytes.subarray(dataStart);
  const metadata = readMetadata(where, header.__metadata__);
  const entries = Object.entries(header)
    .filter(([name]) => name !== '__metadata__')
    .map(([name, raw]): [string, HeaderEntry] => [name, checkEntry(where, name, raw, data.length)]);
  checkTiling(where, entries, data.length);
  const checksum = metadata[CHECKSUM_KEY];
  if (checksum !== undefined && checksum !== sha256(data)) {
    throw new FormatError(
      where,
      'the tensor data does not match its checksum',
      'the file is corrupted; save it again',
    );
  }
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const tensors = new Map<string, Tensor>();
  for (const [name, e] of entries) {
    const { bytes: size } = DTYPES[e.dtype];
    const count = (e.data_offsets[1] - e.data_offsets[0]) / size;
    const values = e.dtype === 'F32' ? new Float32Array(count) : new Float64Array(count);
    for (let i = 0; i < count; i++) {
      const at = e.data_offsets[0] + i * size;
      values[i] = e.dtype === 'F32' ? view.getFloat32(at, true) : view.getFloat64(at, true);
    }
    tensors.set(name, tensor(values, { shape: e.shape }));
  }
  const { [CHECKSUM_KEY]: _checksum, ...userMetadata } = metadata;
  return { tensors, metadata: userMetadata };
}
