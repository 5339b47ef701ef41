import { DataError } from '@chainrule/autograd';

/** Checks that an option is an integer ≥ `min` (1 unless given); a DataError names the caller and option. */
export function checkInteger(where: string, name: string, value: number, min = 1): number {
  if (!Number.isInteger(value) || value < min) {
    throw new DataError(
      where,
      `${name} must be an integer ≥ ${min}, got ${value}`,
      `pass ${name}: ${min} or more`,
    );
  }
  return value;
}

/** Checks that an option is a finite number ≥ 0. */
export function checkNonNegative(where: string, name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new DataError(
      where,
      `${name} must be a finite number ≥ 0, got ${value}`,
      `pass ${name}: 0 or more`,
    );
  }
  return value;
}
