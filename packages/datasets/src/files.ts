import { readFileSync } from 'node:fs';
import { DataError } from '@chainrule/autograd';

/** The bytes of `file`; a missing or unreadable file (or a folder) is a DataError naming it. */
export function readBytes(file: string, hint: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new DataError(file, `cannot be read (${(error as Error).message})`, hint);
  }
}
