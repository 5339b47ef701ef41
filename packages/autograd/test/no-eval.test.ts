import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { workload } from './fixtures/workload.js';

const here = dirname(fileURLToPath(import.meta.url));

describe('a runtime that forbids compiling code from strings (a strict Content Security Policy)', () => {
  it('computes the same bits without the specialized kernel copies, and toSvg says why it cannot run', () => {
    const printed = execFileSync(
      process.execPath,
      ['--disallow-code-generation-from-strings', '--import', 'tsx', join(here, 'fixtures/printWorkload.ts')],
      { cwd: join(here, '..'), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const { numbers, svg } = JSON.parse(printed) as { numbers: number[]; svg: string };
    // The specialized copies run the same source as the shared function, so every result is bit-identical.
    expect(numbers).toEqual(workload());
    expect(numbers.every(Number.isFinite)).toBe(true);
    // The WebAssembly Graphviz's own loader needs eval: a typed error that says so, not a DOT syntax hint.
    expect(svg).toMatch(
      /^toSvg: Graphviz cannot run in this runtime: Code generation from strings disallowed/,
    );
    expect(svg).toMatch(/unsafe-eval/);
  }, 60_000);
});
