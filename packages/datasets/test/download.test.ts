import { createHash } from 'node:crypto';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DataError } from '@chainrule/autograd';
import { CALIFORNIA_CACHE_FILE, californiaHousing } from '@chainrule/datasets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calArchive, calLines, tempDir, removeTempDirs } from './helpers.js';

afterAll(removeTempDirs);

// A fixture archive in the original layout, served from 127.0.0.1: no internet involved.
const archive = calArchive(calLines(4).join('\n'));
const sha256 = createHash('sha256').update(archive).digest('hex');
let server: Server;
let baseUrl: string;
let hits = 0;

beforeAll(async () => {
  server = createServer((request, response) => {
    hits++;
    if (request.url === '/cal_housing.tgz') response.end(archive);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('californiaHousing download', () => {
  it('downloads, verifies and caches the archive; the second call reads the cache', async () => {
    const cacheDir = tempDir();
    const url = `${baseUrl}/cal_housing.tgz`;
    const before = hits;
    const first = await californiaHousing({ cacheDir, url, sha256 });
    expect(hits).toBe(before + 1);
    expect(first.features.shape).toEqual([4, 8]);
    expect(first.source).toBe(join(cacheDir, CALIFORNIA_CACHE_FILE));
    expect(readdirSync(cacheDir)).toEqual([CALIFORNIA_CACHE_FILE]);
    const second = await californiaHousing({ cacheDir, url, sha256 });
    expect(hits).toBe(before + 1);
    expect(Array.from(second.features.data)).toEqual(Array.from(first.features.data));
    expect(Array.from(second.target.data)).toEqual(Array.from(first.target.data));
  });

  it('uses $CHAINRULE_DATA as the cache folder when no cacheDir is given', async () => {
    const cacheDir = tempDir();
    const previous = process.env.CHAINRULE_DATA;
    process.env.CHAINRULE_DATA = cacheDir;
    try {
      await californiaHousing({ url: `${baseUrl}/cal_housing.tgz`, sha256 });
    } finally {
      if (previous === undefined) delete process.env.CHAINRULE_DATA;
      else process.env.CHAINRULE_DATA = previous;
    }
    expect(existsSync(join(cacheDir, CALIFORNIA_CACHE_FILE))).toBe(true);
  });

  it('rejects a wrong checksum with a DataError and caches nothing', async () => {
    const cacheDir = tempDir();
    const wrong = '0'.repeat(64);
    const error = await californiaHousing({
      cacheDir,
      url: `${baseUrl}/cal_housing.tgz`,
      sha256: wrong,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).message).toContain(`SHA-256 is ${sha256}`);
    expect((error as DataError).message).toContain(`expected ${wrong}`);
    expect(readdirSync(cacheDir)).toEqual([]);
  });

  it('re-checks a cached archive and refuses a damaged one', async () => {
    const cacheDir = tempDir();
    writeFileSync(join(cacheDir, CALIFORNIA_CACHE_FILE), archive.subarray(0, 100));
    const before = hits;
    await expect(californiaHousing({ cacheDir, url: `${baseUrl}/cal_housing.tgz`, sha256 })).rejects.toThrow(
      /cached archive is damaged/,
    );
    expect(hits).toBe(before);
  });

  it('reports an HTTP error, and a missing cache when downloads are off', async () => {
    const cacheDir = tempDir();
    await expect(californiaHousing({ cacheDir, url: `${baseUrl}/missing`, sha256 })).rejects.toThrow(
      /HTTP 404/,
    );
    await expect(californiaHousing({ cacheDir, download: false })).rejects.toThrow(/download is false/);
    expect(readdirSync(cacheDir)).toEqual([]);
  });
});
