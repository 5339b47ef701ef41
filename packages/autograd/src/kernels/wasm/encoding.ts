/**
 * A minimal WebAssembly binary encoder: LEB128 numbers and the few module sections the kernels need
 * (types, functions, one memory, exports, code). Instructions are plain byte arrays built in `instructions.ts`.
 */

/** Value types of the WebAssembly binary format. */
export const valType = { i32: 0x7f, f32: 0x7d, f64: 0x7c, v128: 0x7b } as const;

/** One value type's byte. */
export type ValType = (typeof valType)[keyof typeof valType];

/** A function ready to be encoded: its signature, extra locals and body (without the final `end`). */
export interface FunctionSpec {
  readonly name: string;
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
  readonly locals: readonly ValType[];
  readonly body: readonly number[];
}

/** Unsigned LEB128. */
export function uleb(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 of a 32-bit integer. */
export function sleb(value: number): number[] {
  const out: number[] = [];
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

function vector(items: readonly (readonly number[])[]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function section(id: number, payload: readonly number[]): number[] {
  return [id, ...uleb(payload.length), ...payload];
}

function name(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...uleb(bytes.length), ...bytes];
}

/** Groups consecutive equal local types, as the code section wants them. */
function localGroups(locals: readonly ValType[]): number[][] {
  const groups: number[][] = [];
  for (const t of locals) {
    const last = groups[groups.length - 1];
    if (last && last[1] === t) last[0]++;
    else groups.push([1, t]);
  }
  return groups.map(([count, t]) => [...uleb(count), t]);
}

/**
 * Encodes a module that imports its memory as env.memory (shared, with at most `maxPages` 64 KiB pages, so that
 * worker threads can run its functions on the same memory) and exports the given functions under their names.
 */
export function encodeModule(functions: readonly FunctionSpec[], maxPages: number): Uint8Array {
  const types = section(
    1,
    vector(
      functions.map((f) => [0x60, ...vector(f.params.map((p) => [p])), ...vector(f.results.map((r) => [r]))]),
    ),
  );
  // Limits flag 0x03: a maximum is given and the memory is shared.
  const imports = section(
    2,
    vector([[...name('env'), ...name('memory'), 0x02, 0x03, ...uleb(1), ...uleb(maxPages)]]),
  );
  const funcs = section(3, vector(functions.map((_, i) => uleb(i))));
  const exports = section(7, vector(functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)])));
  const code = section(
    10,
    vector(
      functions.map((f) => {
        const body = [...vector(localGroups(f.locals)), ...f.body, 0x0b];
        return [...uleb(body.length), ...body];
      }),
    ),
  );
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...types,
    ...imports,
    ...funcs,
    ...exports,
    ...code,
  ]);
}
