import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { create } from 'tar';

/** The repository root, found from this file's location (packages/datasets/test). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The shared copy of the StatLib file, beside the checkout in CI and here. */
export const calHousingPath = resolve(repoRoot, '../shared/data/cal_housing.data');

const created: string[] = [];

/** A fresh empty folder under the OS temp dir, removed by `removeTempDirs`. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'chainrule-datasets-'));
  created.push(dir);
  return dir;
}

/** Removes every folder `tempDir` made in this test file (call from afterAll). */
export function removeTempDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** The first `count` lines of the shared StatLib file. */
export function calLines(count: number): string[] {
  return readFileSync(calHousingPath, 'latin1').split('\n').slice(0, count);
}

/** A .tgz with `CaliforniaHousing/cal_housing.data` holding `text`, built with node-tar; returns its bytes. */
export function calArchive(text: string): Buffer {
  const dir = tempDir();
  mkdirSync(join(dir, 'CaliforniaHousing'));
  writeFileSync(join(dir, 'CaliforniaHousing', 'cal_housing.data'), text);
  const file = join(dir, 'cal_housing.tgz');
  create({ gzip: true, sync: true, cwd: dir, file, portable: true }, ['CaliforniaHousing/cal_housing.data']);
  return readFileSync(file);
}
