/**
 * Checks on what a demo wrote: every SVG is well-formed XML with an <svg> root, and every image the page
 * links to exists.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';

/** Problems found in a demo's output directory (empty when all is well). */
export function checkOutputDir(dir: string): string[] {
  const problems: string[] = [];
  const index = join(dir, 'index.html');
  if (!existsSync(index)) return [`${index} is missing`];
  const html = readFileSync(index, 'utf8');
  const links = [...html.matchAll(/<img src="([^"]+)"/g)].map((m) => decodeURI(m[1]));
  for (const link of links)
    if (!existsSync(join(dir, link))) problems.push(`index.html links to missing ${link}`);
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.svg'))) {
    const text = readFileSync(join(dir, file), 'utf8');
    const valid = XMLValidator.validate(text);
    if (valid !== true)
      problems.push(`${file} is not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
    else if (!/^(<\?xml[^>]*>\s*)?(<!DOCTYPE[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<svg[\s>]/.test(text))
      problems.push(`${file} has no <svg> root`);
  }
  return problems;
}

/** The image files index.html links to. */
export function linkedImages(dir: string): string[] {
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  return [...html.matchAll(/<img src="([^"]+)"/g)].map((m) => decodeURI(m[1]));
}
