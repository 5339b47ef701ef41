/**
 * Renders DOT to SVG with the WebAssembly build of Graphviz that graphviz-cli ships: no system Graphviz.
 */
import { renderGraphFromSource } from 'graphviz-cli';
import { FormatError } from '../errors.js';
import { asciiSource } from './asciiLayout.js';

/** Layout engines Graphviz offers. */
export type GraphvizEngine = 'dot' | 'neato' | 'fdp' | 'circo' | 'osage' | 'twopi';

/** Options of `toSvg`. */
export interface SvgOptions {
  /** Layout engine (default `dot`, layered top-down or left-right). */
  readonly engine?: GraphvizEngine;
}

/**
 * Lays out and renders DOT text (e.g. from `toDot`) as an SVG document. A source Graphviz rejects becomes a
 * FormatError carrying Graphviz's own message. Non-ASCII text is laid out through ASCII stand-ins
 * (`asciiLayout.ts`), so Graphviz prints no warning about it.
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
  const source = asciiSource(dot);
  try {
    const svg = await renderGraphFromSource(
      { input: source.dot },
      { format: 'svg', engine: options.engine ?? 'dot' },
    );
    return source.restore(svg);
  } catch (err) {
    const raw = err instanceof Error ? err.message : String(err);
    // Graphviz quotes the source it was given: show the user's own characters, not their stand-ins.
    const message = source.restore(raw.replace(/^(Error: )+/, '').trim());
    if (/code generation from strings/i.test(message)) {
      // The WebAssembly Graphviz's loader compiles JavaScript from strings, which a strict Content Security
      // Policy (or Node's --disallow-code-generation-from-strings) forbids: no DOT source can render here.
      throw new FormatError(
        'toSvg',
        `Graphviz cannot run in this runtime: ${message}`,
        "allow code generation from strings ('unsafe-eval'), or write toDot(...) to a file and render it with Graphviz elsewhere",
      );
    }
    throw new FormatError(
      'toSvg',
      `Graphviz could not render the DOT source: ${message}`,
      'check the DOT syntax near the line Graphviz names; text from toDot always renders',
    );
  }
}
