/**
 * Text pieces shared by the DOT and formula printers: numbers, value summaries, and DOT string escaping.
 */
import type { Tensor } from '../tensor/tensor.js';

/** A number in at most `digits` significant digits ("0.08217", "2", "1e-7"); integers stay exact. */
export function formatNumber(v: number, digits = 4): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  return String(Number(v.toPrecision(digits)));
}

const PREVIEW = 4;

/**
 * Label lines summarising a tensor's values: the number for one element; for more, the first entries and,
 * beyond four entries, min / mean / max.
 */
export function summarizeValues(prefix: string, t: Tensor): string[] {
  if (t.size === 1) return [`${prefix} ${formatNumber(t.data[0])}`];
  const shown = Array.from(t.data.subarray(0, PREVIEW), (v) => formatNumber(v));
  if (t.size <= PREVIEW) return [`${prefix} [${shown.join(', ')}]`];
  let min = Infinity;
  let max = -Infinity;
  let total = 0;
  for (const v of t.data) {
    min = Math.min(min, v);
    max = Math.max(max, v);
    total += v;
  }
  return [
    `${prefix} [${shown.join(', ')}, ...]`,
    `min ${formatNumber(min)}, mean ${formatNumber(total / t.size)}, max ${formatNumber(max)}`,
  ];
}

/**
 * Escapes text for a double-quoted DOT string so Graphviz shows it literally: backslashes and quotes are
 * escaped (so `\N`, `\G` and friends stay text), `&` becomes `&amp;` (Graphviz decodes entities such as
 * `&alpha;` in every label), line breaks become centred line breaks, and other control characters are shown
 * as `\uXXXX`. Braces, `|`, `<`, `>` need no escaping because no record or HTML labels
 * are used.
 */
export function escapeDot(text: string): string {
  let out = '';
  const lines = text.split(/\r\n|\r|\n/);
  lines.forEach((line, i) => {
    if (i > 0) out += '\\n';
    for (const ch of line) {
      const code = ch.codePointAt(0) ?? 0;
      if (ch === '\\') out += '\\\\';
      else if (ch === '&') out += '&amp;';
      else if (ch === '"') out += '\\"';
      else if (code < 0x20 || code === 0x7f) out += `\\\\u${code.toString(16).padStart(4, '0')}`;
      else out += ch;
    }
  });
  return out;
}

/** A DOT string literal of `text`, quoted and escaped. */
export function quoteDot(text: string): string {
  return `"${escapeDot(text)}"`;
}
