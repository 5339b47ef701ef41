import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Tensor } from '@chainrule/autograd';
import { FormatError, randn } from '@chainrule/autograd';
import type { Weights } from '../src/index.js';
import { batchNorm, dense, dropout, fromBytes, load, relu, save, sequential, toBytes } from '../src/index.js';

const model = sequential([
  dense(4, 6),
  relu(),
  batchNorm(6),
  dropout(0.1),
  dense(6, 2, { dtype: 'float32' }),
]);
const mixed = sequential([dense(3, 2, { dtype: 'float64' })]);

function trainedWeights(): Weights {
  const params = model.init({ seed: 4 });
  const x = randn([5, 4], { seed: 1, dtype: 'float32' });
  const { state } = model.forward(params, x, { training: true, seed: 1 });
  return { params, state };
}

const created: string[] = [];
const directory = () => {
  const dir = mkdtempSync(join(tmpdir(), 'chainrule-nn-'));
  created.push(dir);
  return dir;
};
afterAll(() => created.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('save and load', () => {
  it('a round trip is bit-exact and rebuilds the architecture', async () => {
    const dir = directory();
    const path = join(dir, 'model.safetensors');
    const weights = trainedWeights();
    await save(path, model, weights);
    const loaded = await load(path);
    expect(loaded.model.spec).toEqual(model.spec);
    for (const [key, t] of weights.params) {
      expect((loaded.params.get(key) as Tensor).dtype).toBe(t.dtype);
      expect((loaded.params.get(key) as Tensor).data).toEqual(t.data);
    }
    expect((loaded.state.get('2.runningVar') as Tensor).data).toEqual(
      (weights.state?.get('2.runningVar') as Tensor).data,
    );
    const x = randn([3, 4], { seed: 9, dtype: 'float32' });
    expect(loaded.model.apply(loaded.params, x, { state: loaded.state }).data).toEqual(
      model.apply(weights.params, x, { state: weights.state }).data,
    );
    expect(readdirSync(dir)).toEqual(['model.safetensors']); // no temporary file left behind
  });

  it('float64 tensors round-trip bit-exactly too (values that need all 53 bits)', () => {
    const params = mixed.init({ seed: 1 }).map((t) => t.mul(Math.PI / 3));
    const loaded = fromBytes(toBytes(mixed, { params }));
    expect((loaded.params.get('0.weight') as Tensor).data).toEqual((params.get('0.weight') as Tensor).data);
  });

  it('the file is standard safetensors: u64 header length, JSON header with F32/F64, shapes and offsets', () => {
    const bytes = toBytes(mixed, { params: mixed.init({ seed: 1 }) });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(n % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
    expect(header['0.weight']).toEqual({ dtype: 'F64', shape: [3, 2], data_offsets: [0, 48] });
    expect(header['0.bias']).toEqual({ dtype: 'F64', shape: [2], data_offsets: [48, 64] });
    expect(JSON.parse(header.__metadata__['chainrule.architecture'])).toEqual(mixed.spec);
    expect(bytes.length).toBe(8 + n + 64);
  });

  it('overwrites atomically: an existing file is replaced whole', async () => {
    const path = join(directory(), 'm.safetensors');
    await save(path, mixed, { params: mixed.init({ seed: 1 }) });
    await save(path, mixed, { params: mixed.init({ seed: 2 }) });
    const loaded = await load(path);
    expect((loaded.params.get('0.weight') as Tensor).data).toEqual(
      (mixed.init({ seed: 2 }).get('0.weight') as Tensor).data,
    );
  });

  describe('damaged files are FormatErrors that say what is wrong', () => {
    const good = toBytes(mixed, { params: mixed.init({ seed: 1 }) });
    const headerLength = Number(new DataView(good.buffer).getBigUint64(0, true));
    const expectFormatError = (bytes: Uint8Array, message: RegExp) => {
      expect(() => fromBytes(bytes, {}, 'broken.safetensors')).toThrow(FormatError);
      expect(() => fromBytes(bytes, {}, 'broken.safetensors')).toThrow(message);
    };

    it('truncated anywhere', () => {
      expectFormatError(good.subarray(0, 5), /broken.safetensors: truncated: 5 bytes/);
      expectFormatError(good.subarray(0, 40), /truncated: the header claims \d+ bytes but only 32 follow/);
      expectFormatError(
        good.subarray(0, good.length - 3),
        /truncated: tensor '0.bias' ends at byte 64 of the data but only 61/,
      );
    });

    it('corrupted header, data or trailing bytes', () => {
      const header = good.slice();
      header[8] = 0x7b; // '{' twice: invalid JSON
      header[9] = 0x7b;
      expectFormatError(header, /the JSON header is corrupted/);
      const data = good.slice();
      data[8 + headerLength + 3] ^= 0x01;
      expectFormatError(data, /does not match its checksum/);
      const longer = new Uint8Array(good.length + 4);
      longer.set(good);
      expectFormatError(longer, /4 bytes after the last tensor/);
      const huge = good.slice();
      new DataView(huge.buffer).setBigUint64(0, 1n << 40n, true);
      expectFormatError(huge, /header length \d+ is implausible/);
    });

    it('a safetensors file without our architecture, or with an unknown layer', () => {
      const withHeader = (edit: (h: string) => string) => {
        const h = new TextDecoder().decode(good.subarray(8, 8 + headerLength));
        const edited = new TextEncoder().encode(edit(h).padEnd(headerLength, ' '));
        const out = good.slice();
        out.set(edited.subarray(0, headerLength), 8);
        return out;
      };
      expectFormatError(
        withHeader((h) => h.replace('chainrule.architecture', 'some.other.key_______')),
        /no 'chainrule.architecture' in the metadata/,
      );
      expectFormatError(
        withHeader((h) => h.replace('\\"dense\\"', '\\"dance\\"')),
        /the architecture cannot be rebuilt: .*unknown layer "dance"/,
      );
    });
  });

  it('a file whose architecture differs from the expected model is rejected', () => {
    const bytes = toBytes(mixed, { params: mixed.init({ seed: 1 }) });
    const other = sequential([dense(3, 4, { dtype: 'float64' })]);
    expect(() => fromBytes(bytes, { model: other }, 'm.safetensors')).toThrow(
      /m.safetensors: the file holds sequential\[dense\(3→2\)\], expected sequential\[dense\(3→4\)\]/,
    );
    expect(fromBytes(bytes, { model: mixed }).model.spec).toEqual(mixed.spec);
  });

  it('a tensor that does not fit the stored architecture is rejected by name', async () => {
    const path = join(directory(), 'edited.safetensors');
    const bytes = toBytes(mixed, { params: mixed.init({ seed: 1 }) });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    const header = new TextDecoder().decode(bytes.subarray(8, 8 + n));
    const edited = header.replace('"shape":[3,2]', '"shape":[2,3]');
    expect(edited).not.toBe(header);
    const out = new Uint8Array(bytes);
    out.set(new TextEncoder().encode(edited), 8);
    writeFileSync(path, out);
    await expect(load(path)).rejects.toThrow(
      /edited.safetensors: parameter '0.weight' is \[2,3\] float64, the architecture needs \[3,2\] float64/,
    );
    expect(readFileSync(path).length).toBe(bytes.length);
  });

  it('a failed write leaves the existing file untouched and no temporary file behind', async () => {
    const dir = directory();
    const path = join(dir, 'keep.safetensors');
    await save(path, mixed, { params: mixed.init({ seed: 1 }) });
    const before = readFileSync(path);
    // A non-empty directory where the file should go makes the final rename fail after the temporary
    // file has been written next to it.
    mkdirSync(join(dir, 'occupied'));
    writeFileSync(join(dir, 'occupied', 'x'), 'x');
    await expect(save(join(dir, 'occupied'), mixed, { params: mixed.init({ seed: 2 }) })).rejects.toThrow();
    expect(readFileSync(path)).toEqual(before);
    expect(readdirSync(dir).sort()).toEqual(['keep.safetensors', 'occupied']);
  });

  it('saving weights of another architecture is refused before anything is written', async () => {
    const dir = directory();
    await expect(
      save(join(dir, 'x.safetensors'), mixed, { params: model.init({ seed: 1 }) }),
    ).rejects.toThrow(/parameter '0.weight' is \[4,6\] float32, the architecture needs \[3,2\] float64/);
    expect(readdirSync(dir)).toEqual([]);
  });
});
