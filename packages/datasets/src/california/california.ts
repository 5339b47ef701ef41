import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Tensor } from '@chainrule/autograd';
import { DataError, tensor } from '@chainrule/autograd';
import envPaths from 'env-paths';
import { readBytes } from '../files.js';
import { isArchive, readTarMember } from './archive.js';
import { downloadVerified, verifySha256 } from './download.js';
import { featureNames, parseCalHousing } from './parse.js';

/** Where scikit-learn downloads the original StatLib archive from. */
export const CALIFORNIA_URL = 'https://ndownloader.figshare.com/files/5976036';
/** SHA-256 of that archive (441,963 bytes). */
export const CALIFORNIA_SHA256 = 'aaa5c9a6afe2225cc2aed2723682ae403280c4a3695a2ddda4ffb5d8215ea681';
/** The data file inside the archive. */
export const CALIFORNIA_MEMBER = 'CaliforniaHousing/cal_housing.data';
/** File name of the archive in the cache folder. */
export const CALIFORNIA_CACHE_FILE = 'cal_housing.tgz';

/** Options of `californiaHousing()`. */
export interface CaliforniaOptions {
  /** A local `cal_housing.data` or the original `cal_housing.tgz`; when given, nothing is downloaded. */
  readonly path?: string;
  /** Cache folder for the downloaded archive. Default: $CHAINRULE_DATA, else the OS cache dir (chainrule). */
  readonly cacheDir?: string;
  /** Download the archive when it is not cached (default true). */
  readonly download?: boolean;
  /** Download address (default `CALIFORNIA_URL`). */
  readonly url?: string;
  /** Expected SHA-256 of the archive (default `CALIFORNIA_SHA256`). */
  readonly sha256?: string;
  /** Give up a download after this many milliseconds (default 120,000). */
  readonly timeoutMs?: number;
}

/** The California Housing frame, as scikit-learn's `fetch_california_housing` builds it. */
export interface CaliforniaHousing {
  /** float64 [20640, 8], columns in `featureNames` order. */
  readonly features: Tensor;
  /** float64 [20640]: median house value of the block group, in units of $100,000. */
  readonly target: Tensor;
  /** MedInc, HouseAge, AveRooms, AveBedrms, Population, AveOccup, Latitude, Longitude. */
  readonly featureNames: readonly string[];
  /** 'MedHouseVal'. */
  readonly targetName: string;
  /** The file the data was read from. */
  readonly source: string;
}

/** The cache folder: the option, else $CHAINRULE_DATA, else the OS cache folder for chainrule. */
export function dataCacheDir(cacheDir?: string): string {
  return cacheDir ?? process.env.CHAINRULE_DATA ?? envPaths('chainrule', { suffix: '' }).cache;
}

/**
 * California Housing (20,640 block groups of the 1990 census; Pace & Barry's StatLib file) as a float64
 * frame equal to scikit-learn's: features MedInc, HouseAge, AveRooms, AveBedrms, Population, AveOccup,
 * Latitude, Longitude and target MedHouseVal. Reads `path` (the .data file or the original .tgz), else the
 * cached archive, else downloads the archive, checks its SHA-256 and caches it.
 */
export async function californiaHousing(options: CaliforniaOptions = {}): Promise<CaliforniaHousing> {
  const { text, source } = options.path ? await readLocal(options.path) : await readCachedOrDownload(options);
  const frame = parseCalHousing(text, source);
  return {
    features: tensor(frame.features, { shape: [frame.rows, featureNames.length] }),
    target: tensor(frame.target, { shape: [frame.rows] }),
    featureNames,
    targetName: 'MedHouseVal',
    source,
  };
}

async function readLocal(path: string): Promise<{ text: string; source: string }> {
  const bytes = readBytes(
    path,
    'pass the path of cal_housing.data or cal_housing.tgz, or omit path to use the cache or download',
  );
  return { text: await textOf(bytes, path), source: path };
}

async function readCachedOrDownload(options: CaliforniaOptions): Promise<{ text: string; source: string }> {
  const sha256 = options.sha256 ?? CALIFORNIA_SHA256;
  const cached = join(dataCacheDir(options.cacheDir), CALIFORNIA_CACHE_FILE);
  let bytes: Uint8Array;
  if (existsSync(cached)) {
    bytes = readBytes(cached, `delete ${cached} to download it again`);
    verifySha256(
      bytes,
      sha256,
      cached,
      `the cached archive is damaged; delete ${cached} to download it again`,
    );
  } else if (options.download ?? true) {
    bytes = await downloadVerified(
      options.url ?? CALIFORNIA_URL,
      sha256,
      cached,
      options.timeoutMs ?? 120_000,
    );
  } else {
    throw new DataError(
      'californiaHousing',
      `${cached} is not there and download is false`,
      'allow the download, or pass { path } to a local cal_housing.data or cal_housing.tgz',
    );
  }
  return { text: await textOf(bytes, cached), source: cached };
}

async function textOf(bytes: Uint8Array, source: string): Promise<string> {
  const data = isArchive(bytes) ? await readTarMember(bytes, CALIFORNIA_MEMBER, source) : bytes;
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('latin1');
}
