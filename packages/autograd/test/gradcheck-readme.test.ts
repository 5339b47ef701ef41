/**
 * The README's "Checking your gradients" section is documentation that runs: every ```ts block in it is
 * executed with tsx from the package directory, as a user would paste it, and must exit cleanly (the blocks
 * check their own claims with node:assert).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The ```ts blocks of the section titled `title`. */
function sectionBlocks(markdown: string, title: string): string[] {
  const start = markdown.indexOf(`## ${title}`);
  if (start < 0) return [];
  const next = markdown.indexOf('\n## ', start + 1);
  const section = markdown.slice(start, next < 0 ? undefined : next);
  return [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
}

describe('README: Checking your gradients', () => {
  const blocks = sectionBlocks(
    readFileSync(join(packageDir, 'README.md'), 'utf8'),
    'Checking your gradients',
  );

  it('has a runnable example', () => {
    expect(blocks.length).toBeGreaterThan(0);
  });

  it.each(blocks.map((code, i) => [i, code] as const))('block %i runs as written', (_, code) => {
    const run = () =>
      execFileSync('npx', ['tsx', '--eval', `${code}\nconsole.log('example finished');`], {
        cwd: packageDir,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    expect(run().trim().endsWith('example finished')).toBe(true);
  });
});
