/**
 * Every ```ts block in a README is a runnable example: this test runs each one with tsx from the directory
 * of its package (the root README's examples run from apps/demos, which depends on every package).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');

function readmes(): { file: string; cwd: string }[] {
  const found = [{ file: join(root, 'README.md'), cwd: join(root, 'apps', 'demos') }];
  for (const group of ['packages', 'apps']) {
    for (const name of readdirSync(join(root, group))) {
      const file = join(root, group, name, 'README.md');
      if (existsSync(file)) found.push({ file, cwd: join(root, group, name) });
    }
  }
  return found;
}

function examples(markdown: string): string[] {
  return [...markdown.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
}

const cases = readmes().flatMap(({ file, cwd }) =>
  examples(readFileSync(file, 'utf8')).map((code, i) => ({
    name: `${relative(root, file)} example ${i + 1}`,
    code,
    cwd,
  })),
);

describe('README examples run as written', () => {
  it('finds examples in the root README', () => {
    expect(cases.some((c) => c.name.startsWith('README.md'))).toBe(true);
  });

  it.each(cases)('$name', ({ code, cwd, name }) => {
    const file = join(cwd, `.readme-example-${name.replace(/[^a-z0-9]+/gi, '-')}.ts`);
    writeFileSync(file, code);
    try {
      execFileSync(tsx, [file], { cwd, stdio: 'pipe', timeout: 120_000 });
    } catch (error) {
      const e = error as { stderr?: Buffer; stdout?: Buffer };
      throw new Error(`${name} failed:\n${e.stderr?.toString() ?? ''}${e.stdout?.toString() ?? ''}`, {
        cause: error,
      });
    } finally {
      rmSync(file, { force: true });
    }
  });
});
