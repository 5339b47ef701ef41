import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { toSvg } from '@chainrule/autograd';
import { asciiSource } from '../src/render/asciiLayout.js';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('non-ASCII text through Graphviz', () => {
  it('hands Graphviz only ASCII and restores every character, astral ones included', () => {
    const dot = 'digraph { a [label="∂L/∂w · α² 𝑥"]; b [label="plain"]; a -> b; }';
    const source = asciiSource(dot);
    expect(source.dot).toMatch(/^[\0-\x7f]*$/);
    // Graphviz copies label text into the SVG; restoring the ASCII source itself must give the original back.
    expect(source.restore(source.dot)).toBe(dot);
    // One marker and one letter per character: about a character's width, not three spaces per UTF-8 byte.
    expect(source.dot).toContain('label="JaL/Jaw Jb JcJd Je"');
  });

  it('picks a marker the source does not use, and longer codes for many distinct characters', () => {
    const dot = `digraph { a [label="J ${Array.from({ length: 60 }, (_, i) => String.fromCharCode(0x3b1 + i)).join('')}"]; }`;
    const source = asciiSource(dot);
    expect(source.dot).toMatch(/^[\0-\x7f]*$/);
    expect(source.dot).toContain('KaaKab');
    expect(source.restore(source.dot)).toBe(dot);
  });

  it('leaves a source alone when it is ASCII already or uses every marker itself', () => {
    for (const dot of ['digraph { a -> b; }', 'digraph { a [label="JKXQjqZ ∂"]; }']) {
      const source = asciiSource(dot);
      expect(source.dot).toBe(dot);
      expect(source.restore('<svg>Ja</svg>')).toBe('<svg>Ja</svg>');
    }
  });

  it('renders the labels exactly as written', async () => {
    const svg = await toSvg('digraph { a [label="∂L/∂w · α²"]; b [label="xJy Ka"]; a -> b; }');
    expect(svg).toContain('>∂L/∂w · α²</text>');
    expect(svg).toContain('>xJy Ka</text>');
  });

  it('keeps non-ASCII node IDs valid, as DOT allows them unquoted', async () => {
    const svg = await toSvg('digraph { α -> β; }');
    expect(svg).toContain('<title>α</title>');
    expect(svg).toContain('<title>α&#45;&gt;β</title>');
  });

  it("quotes the user's own characters in Graphviz's error messages", async () => {
    await expect(toSvg('digraph { a -> b } ∂x')).rejects.toThrow("syntax error in line 1 near '∂x'");
  });

  it('prints no Graphviz warning about the width of non-ASCII characters', () => {
    const code = [
      "import { toSvg } from '@chainrule/autograd';",
      'void toSvg(\'digraph { a [label="∂J/∂w5 · α"]; }\').then((svg) =>',
      "  console.log(svg.includes('∂J/∂w5 · α') ? 'rendered' : 'missing label'),",
      ');',
    ].join('\n');
    const run = spawnSync('npx', ['tsx', '--eval', code], { cwd: packageDir, encoding: 'utf8' });
    expect(run.stdout.trim()).toBe('rendered');
    expect(run.stderr).not.toMatch(/Warning/);
  }, 60_000);
});
