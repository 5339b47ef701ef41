/**
 * Regenerates the demo pictures shown in the root README: `pnpm --filter @chainrule/demos run docs-pictures`.
 */
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { findDemo } from '../src/registry.js';
import { runDemo } from '../src/run.js';

const docs = resolve(import.meta.dirname, '..', '..', '..', 'docs', 'pictures');
mkdirSync(docs, { recursive: true });
const wanted: readonly [demo: string, file: string][] = [
  ['backprop', 'network.svg'],
  ['activations', 'activations.svg'],
  ['xor', 'decision-surface.svg'],
];
for (const [name, file] of wanted) {
  const out = mkdtempSync(join(tmpdir(), `docs-${name}-`));
  await runDemo(findDemo(name)!, {
    seed: 42,
    epochs: undefined,
    quick: false,
    dataPath: undefined,
    out,
    print: () => {},
  });
  copyFileSync(join(out, file), join(docs, `${name}-${file}`));
  console.log(`docs/pictures/${name}-${file}`);
}
