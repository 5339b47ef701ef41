/**
 * A grid of 28×28 grey-scale digits as a compact SVG: pixels are quantised to a few grey levels and each
 * level of each digit is one <path>, so 100 digits stay a small file.
 */
import { escapeHtml } from './report.js';

/** One digit to draw: its 784 pixels in [0, 1], a caption, and whether to mark it as a mistake. */
export interface DigitTile {
  readonly pixels: ArrayLike<number>;
  readonly caption: string;
  readonly mistake?: boolean;
}

const side = 28;
const levels = 8;

function digitPaths(pixels: ArrayLike<number>, ox: number, oy: number): string {
  const byLevel: string[][] = Array.from({ length: levels }, () => []);
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < side; c++) {
      const v = pixels[r * side + c];
      const level = Math.min(levels - 1, Math.floor(v * levels));
      if (level > 0) byLevel[level].push(`M${ox + c} ${oy + r}h1v1h-1z`);
    }
  }
  return byLevel
    .map((cells, level) => {
      if (!cells.length) return '';
      const grey = Math.round(255 * (1 - level / (levels - 1)));
      return `<path fill="rgb(${grey},${grey},${grey})" d="${cells.join('')}"/>`;
    })
    .join('');
}

/** An SVG of `tiles` in rows of `columns`, each with its caption; mistakes get a red frame. */
export function digitGrid(tiles: readonly DigitTile[], columns = 10, title = ''): string {
  const cellW = side + 6;
  const cellH = side + 12;
  const top = title ? 12 : 0;
  const rows = Math.ceil(tiles.length / columns);
  const width = columns * cellW;
  const height = top + rows * cellH;
  const body = tiles.map((tile, i) => {
    const x = (i % columns) * cellW + 3;
    const y = top + Math.floor(i / columns) * cellH + 1;
    const frame = tile.mistake
      ? `<rect x="${x - 1.5}" y="${y - 1}" width="${side + 3}" height="${side + 2}" fill="none" stroke="#d62728" stroke-width="1.5"/>`
      : '';
    const color = tile.mistake ? '#d62728' : '#333';
    return `<rect x="${x}" y="${y}" width="${side}" height="${side}" fill="#fff"/>${digitPaths(tile.pixels, x, y)}${frame}<text x="${x + side / 2}" y="${y + side + 8}" font-size="7" text-anchor="middle" fill="${color}">${escapeHtml(tile.caption)}</text>`;
  });
  const heading = title ? `<text x="3" y="9" font-size="8" fill="#333">${escapeHtml(title)}</text>` : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width * 3}" height="${height * 3}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" shape-rendering="crispEdges"><rect width="${width}" height="${height}" fill="#f4f4f4"/>${heading}${body.join('')}</svg>`;
}
