/**
 * Renders DOT to SVG with the WebAssembly build of Graphviz that graphviz-cli ships: no system Graphviz.
 */
import { renderGraphFromSource } from 'graphviz-cli';
import { FormatError } from '../errors.js';

/** Layout engines Graphviz offers. */
export type GraphvizEngine = 'dot' | 'neato' | 'fdp' | 'circo' | 'osage' | 'twopi';

/** Options of `toSvg`. */
export interface SvgOptions {
  /** Layout engine (default `dot`, layered top-down or left-right). */
  readonly engine?: GraphvizEngine;
}

/**
 * Lays out and renders DOT text (e.g. from `toDot`) as an SVG document. A source Graphviz rejects becomes a
 * FormatError carrying Graphviz's own message.
 */
export async function toSvg(dot: string, options: SvgOptions = {}): Promise<string> {
  if (typeof dot !== 'string') {
    // JS callers (or a cast) can pass a tensor, the most likely mistake: say so rather than "empty".
    const got =
      dot === null ? 'null' : typeof dot === 'object' ? (dot as object).constructor.name : typeof dot;
    throw new FormatError('toSvg', `expects DOT text, got ${got}`, 'render a tensor with toSvg(toDot(t))');
  }
  if (dot.trim() === '') {
    throw new FormatError('toSvg', 'the DOT source is empty', 'pass the text returned by toDot(...)');
  }
  try {
    return await renderGraphFromSource({ input: dot }, { format: 'svg', engine: options.engine ?? 'dot' });
  } catch (err) {
    const message = (err instanceof Error ? err.message : String(err)).replace(/^(Error: )+/, '').trim();
    throw new FormatError(
      'toSvg',
      `Graphviz could not render the DOT source: ${message}`,
      'check the DOT syntax near the line Graphviz names; text from toDot always renders',
    );
  }
}
