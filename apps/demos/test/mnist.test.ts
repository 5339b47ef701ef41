import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findDemo } from '../src/registry.js';
import { runDemo } from '../src/run.js';
import { checkOutputDir } from './outputs.js';

describe('mnist demo (lab 1), quick settings', () => {
  it('trains, reports test accuracy, and writes samples, curves, confusion matrix and predictions', async () => {
    const out = mkdtempSync(join(tmpdir(), 'demo-mnist-'));
    const lines: string[] = [];
    await runDemo(findDemo('mnist')!, {
      seed: 1,
      epochs: undefined,
      quick: true,
      dataPath: undefined,
      out,
      print: (l) => lines.push(l),
    });
    expect(checkOutputDir(out)).toEqual([]);
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    for (const file of ['samples.svg', 'curves.svg', 'accuracy.svg', 'confusion.svg', 'predictions.svg'])
      expect(html).toContain(file);
    const accuracy = Number(/Test accuracy: ([\d.]+)%/.exec(lines.join('\n'))?.[1]);
    // One epoch on 3,000 images already gets far above chance (10%); a broken gradient stays near it.
    expect(accuracy).toBeGreaterThan(70);
  });
});
