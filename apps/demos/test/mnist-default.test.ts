import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findDemo } from '../src/registry.js';
import { runDemo } from '../src/run.js';

describe('mnist demo (lab 1) with its default settings', () => {
  it('reaches at least 97.5% test accuracy and reports its wall time', { timeout: 20 * 60_000 }, async () => {
    const lines: string[] = [];
    const out = mkdtempSync(join(tmpdir(), 'demo-mnist-default-'));
    // The CLI's defaults: seed 42, the demo's default epochs, full data.
    await runDemo(findDemo('mnist')!, {
      seed: 42,
      epochs: undefined,
      quick: false,
      dataPath: undefined,
      out,
      print: (l) => lines.push(l),
    });
    const text = lines.join('\n');
    const accuracy = Number(/Test accuracy: ([\d.]+)%/.exec(text)?.[1]);
    expect(accuracy).toBeGreaterThanOrEqual(97.5);
    expect(text).toMatch(/Wall time: \d+\.\d+ s/);
  });
});
