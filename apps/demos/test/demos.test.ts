import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demos } from '../src/registry.js';
import { runDemo } from '../src/run.js';
import { checkOutputDir, linkedImages } from './outputs.js';
import { appDir, californiaFile, repoRoot } from './paths.js';

describe('pnpm demo backprop', () => {
  it("prints the lecture's numbers and writes a valid SVG", () => {
    const out = mkdtempSync(join(tmpdir(), 'demo-backprop-'));
    const stdout = execFileSync(
      join(repoRoot, 'node_modules', '.bin', 'tsx'),
      ['src/cli.ts', 'backprop', '--out', out],
      {
        cwd: appDir,
        encoding: 'utf8',
        env: { ...process.env, INIT_CWD: appDir },
      },
    );
    for (const value of ['0.593', '0.751', '0.298', '0.082167', '0.35892']) expect(stdout).toContain(value);
    expect(checkOutputDir(out)).toEqual([]);
    expect(linkedImages(out).length).toBeGreaterThan(0);
  });
});

describe('every fast demo, with small settings', () => {
  it.each(demos.filter((d) => d.fast).map((d) => d.name))(
    '%s writes a page whose pictures exist and parse',
    async (name) => {
      const demo = demos.find((d) => d.name === name)!;
      const out = mkdtempSync(join(tmpdir(), `demo-${name}-`));
      const lines: string[] = [];
      await runDemo(demo, {
        seed: 1,
        epochs: undefined,
        quick: true,
        dataPath: californiaFile,
        out,
        print: (l) => lines.push(l),
      });
      expect(checkOutputDir(out)).toEqual([]);
      expect(linkedImages(out).length).toBeGreaterThan(0);
      expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain(`chainrule demo: ${name}`);
      expect(lines.join('\n')).toMatch(/Wall time: \d+\.\d+ s/);
    },
  );
});
