/** Paths the demo tests share: the repository root and the StatLib California file beside the checkout. */
import { resolve } from 'node:path';

/** The demos app's folder. */
export const appDir = resolve(import.meta.dirname, '..');
/** The repository root. */
export const repoRoot = resolve(appDir, '..', '..');
/** `shared/data/cal_housing.data` of the workplace (tests and CI read it instead of downloading). */
export const californiaFile = resolve(repoRoot, '..', 'shared', 'data', 'cal_housing.data');
