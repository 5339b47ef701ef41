/**
 * What a demo shows: text and tables on the terminal, and the same plus pictures in `index.html` in its
 * output directory.
 */
import { mkdirSync } from 'node:fs';
import writeFileAtomic from 'write-file-atomic';
import { join } from 'node:path';

type Block =
  | { kind: 'heading'; text: string }
  | { kind: 'text'; text: string }
  | { kind: 'table'; headers: readonly string[]; rows: readonly (readonly string[])[] }
  | { kind: 'picture'; file: string; caption: string };

/** Escapes text for HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Formats a number for tables: fixed decimals, or scientific when tiny. */
export function fmt(value: number, digits = 6): string {
  if (value !== 0 && Math.abs(value) < 10 ** -digits) return value.toExponential(3);
  return value.toFixed(digits);
}

/** Collects a demo's output and writes `index.html` next to its pictures. */
export class Report {
  private readonly blocks: Block[] = [];

  constructor(
    readonly title: string,
    readonly outDir: string,
    private readonly print: (line: string) => void,
  ) {
    mkdirSync(outDir, { recursive: true });
  }

  /** A section heading. */
  heading(text: string): void {
    this.blocks.push({ kind: 'heading', text });
    this.print(`\n== ${text} ==`);
  }

  /** A paragraph. */
  text(text: string): void {
    this.blocks.push({ kind: 'text', text });
    this.print(text);
  }

  /** A table, aligned on the terminal. */
  table(headers: readonly string[], rows: readonly (readonly (string | number)[])[]): void {
    const cells = rows.map((r) => r.map((c) => (typeof c === 'number' ? fmt(c) : c)));
    this.blocks.push({ kind: 'table', headers, rows: cells });
    const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i].length)));
    const line = (r: readonly string[]) => r.map((c, i) => c.padStart(widths[i])).join('  ');
    this.print(line(headers));
    this.print(widths.map((w) => '-'.repeat(w)).join('  '));
    for (const r of cells) this.print(line(r));
  }

  /** Saves an SVG picture into the output directory and shows it in the page. */
  picture(file: string, svg: string, caption: string): string {
    const path = join(this.outDir, file);
    writeFileAtomic.sync(path, svg);
    this.blocks.push({ kind: 'picture', file, caption });
    this.print(`wrote ${path}`);
    return path;
  }

  /** Writes `index.html` with every block; returns its path. */
  finish(): string {
    const body = this.blocks.map((b) => {
      switch (b.kind) {
        case 'heading':
          return `<h2>${escapeHtml(b.text)}</h2>`;
        case 'text':
          return `<p>${escapeHtml(b.text)}</p>`;
        case 'table':
          return `<table><thead><tr>${b.headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${b.rows
            .map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`)
            .join('')}</tbody></table>`;
        case 'picture':
          return `<figure><img src="${encodeURI(b.file)}" alt="${escapeHtml(b.caption)}"><figcaption>${escapeHtml(b.caption)}</figcaption></figure>`;
      }
    });
    const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<link rel="icon" href="data:,">
<title>${escapeHtml(this.title)}</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; }
td, th { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1.5em 0; }
img { max-width: 100%; border: 1px solid #eee; }
figcaption { color: #555; font-size: 0.9em; }
</style>
</head>
<body>
<h1>${escapeHtml(this.title)}</h1>
${body.join('\n')}
</body>
</html>
`;
    const path = join(this.outDir, 'index.html');
    writeFileAtomic.sync(path, html);
    this.print(`wrote ${path}`);
    return path;
  }
}
