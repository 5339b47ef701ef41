/**
 * Non-ASCII text through Graphviz's WebAssembly build. That build has no font library: it estimates text widths
 * from a table of ASCII characters, and for any other character (∂, ·, α in chainrule's labels) it prints
 * "Warning: no value for width of non-ASCII character" on the process's stderr and counts each byte of its
 * UTF-8 encoding as a space. So before layout each non-ASCII character is replaced by an ASCII token — a marker
 * letter that does not occur in the source, then a letter code — and the rendered SVG gets the characters back.
 * Tokens are made of letters because DOT takes non-ASCII characters as letters of unquoted IDs (`α -> β` is a
 * valid graph): a token must be able to stand where they stood.
 */

/**
 * Marker candidates: letters that no DOT escape (\N, \G, \L, \n, …) uses and that Graphviz's SVG never writes
 * on its own (its header and attributes), so that every marker in the SVG starts a token.
 */
const MARKERS = ['J', 'K', 'X', 'Q', 'j', 'q', 'Z'];
const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** `index` as `width` letters. */
function code(index: number, width: number): string {
  let out = '';
  for (let i = 0, rest = index; i < width; i++, rest = Math.floor(rest / LETTERS.length))
    out = LETTERS[rest % LETTERS.length] + out;
  return out;
}

/** DOT text with only ASCII characters, and how to put the others back into the SVG rendered from it. */
export interface AsciiSource {
  readonly dot: string;
  restore(svg: string): string;
}

/**
 * Replaces the non-ASCII characters of `dot` by ASCII tokens (see the module comment). When the source has
 * none, or uses every marker candidate itself, it is returned as it is and `restore` changes nothing.
 */
export function asciiSource(dot: string): AsciiSource {
  const unchanged = { dot, restore: (svg: string) => svg };
  const characters = [...new Set(dot.match(/[^\0-\x7f]/gu))];
  const marker = MARKERS.find((m) => !dot.includes(m));
  if (!characters.length || !marker) return unchanged;
  let width = 1;
  while (LETTERS.length ** width < characters.length) width++;
  const tokens = new Map(characters.map((c, i) => [c, marker + code(i, width)]));
  const byToken = new Map([...tokens].map(([c, token]) => [token, c]));
  const tokenPattern = new RegExp(`${marker}[A-Za-z]{${width}}`, 'g');
  return {
    dot: dot.replace(/[^\0-\x7f]/gu, (c) => tokens.get(c)!),
    restore: (svg) => svg.replace(tokenPattern, (token) => byToken.get(token) ?? token),
  };
}
