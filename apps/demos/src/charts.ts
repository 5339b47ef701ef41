/**
 * Charts as SVG strings: vega-lite specifications compiled and rendered by vega in Node (no browser).
 */
import * as vega from 'vega';
import { compile } from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';
import type { ColorScheme } from 'vega';

/** Renders a vega-lite specification to an SVG string. */
export async function renderChart(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** A named series of (x, y) points. */
export interface Series {
  readonly name: string;
  readonly points: readonly (readonly [number, number])[];
}

/** Options shared by the chart helpers. */
export interface ChartOptions {
  readonly title: string;
  readonly x: string;
  readonly y: string;
  readonly logY?: boolean;
  readonly width?: number;
  readonly height?: number;
}

/** A colour encoding that keeps the series in the order given (vega-lite would sort them by name). */
function seriesColor(names: readonly string[]) {
  return { field: 'series', type: 'nominal' as const, title: null, scale: { domain: [...new Set(names)] } };
}

function rows(series: readonly Series[]) {
  return series.flatMap((s) => s.points.map(([x, y]) => ({ series: s.name, x, y })));
}

/** One line per series. */
export function lineChart(series: readonly Series[], o: ChartOptions): Promise<string> {
  return renderChart({
    title: o.title,
    width: o.width ?? 480,
    height: o.height ?? 300,
    data: { values: rows(series) },
    mark: { type: 'line', point: series.every((s) => s.points.length <= 30) },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: o.x },
      y: { field: 'y', type: 'quantitative', title: o.y, scale: o.logY ? { type: 'log' } : { zero: false } },
      color: seriesColor(series.map((s) => s.name)),
    },
  });
}

/** A line (e.g. a function's curve) with points drawn on top of it (e.g. the steps of an optimiser). */
export function curveWithPoints(curve: Series, points: Series, o: ChartOptions): Promise<string> {
  return renderChart({
    title: o.title,
    width: o.width ?? 480,
    height: o.height ?? 300,
    layer: [
      {
        data: { values: rows([curve]) },
        mark: { type: 'line', color: '#888' },
        encoding: {
          x: { field: 'x', type: 'quantitative', title: o.x },
          y: { field: 'y', type: 'quantitative', title: o.y },
        },
      },
      {
        data: { values: rows([points]).map((r, i) => ({ ...r, step: i })) },
        mark: { type: 'line', point: true, color: '#d62728' },
        encoding: {
          x: { field: 'x', type: 'quantitative' },
          y: { field: 'y', type: 'quantitative' },
          order: { field: 'step', type: 'quantitative' },
        },
      },
    ],
  });
}

/** Small multiples: one panel per group, each with one line per series. */
export function facetedLines(
  panels: readonly { readonly panel: string; readonly series: readonly Series[] }[],
  o: ChartOptions & { readonly columns?: number },
): Promise<string> {
  const values = panels.flatMap((p) => rows(p.series).map((r) => ({ ...r, panel: p.panel })));
  return renderChart({
    title: o.title,
    data: { values },
    columns: o.columns ?? 4,
    facet: { field: 'panel', type: 'nominal', title: null, sort: panels.map((p) => p.panel) },
    spec: {
      width: o.width ?? 200,
      height: o.height ?? 150,
      mark: 'line',
      encoding: {
        x: { field: 'x', type: 'quantitative', title: o.x },
        y: { field: 'y', type: 'quantitative', title: o.y },
        color: seriesColor(panels.flatMap((p) => p.series.map((s) => s.name))),
      },
    },
    resolve: { scale: { y: 'independent' } },
  });
}

/** A scatter plot of (x, y) with an optional y = x reference line. */
export function scatter(
  points: readonly (readonly [number, number])[],
  o: ChartOptions & { readonly diagonal?: boolean },
): Promise<string> {
  const values = points.map(([x, y]) => ({ x, y }));
  const lo = Math.min(...points.flat());
  const hi = Math.max(...points.flat());
  return renderChart({
    title: o.title,
    width: o.width ?? 400,
    height: o.height ?? 400,
    layer: [
      {
        data: { values },
        mark: { type: 'circle', size: 8, opacity: 0.4 },
        encoding: {
          x: { field: 'x', type: 'quantitative', title: o.x },
          y: { field: 'y', type: 'quantitative', title: o.y },
        },
      },
      ...(o.diagonal
        ? [
            {
              data: {
                values: [
                  { x: lo, y: lo },
                  { x: hi, y: hi },
                ],
              },
              mark: { type: 'line' as const, color: '#d62728' },
              encoding: {
                x: { field: 'x', type: 'quantitative' as const },
                y: { field: 'y', type: 'quantitative' as const },
              },
            },
          ]
        : []),
    ],
  });
}

/** A labelled heatmap of a matrix (confusion matrix, correlations). */
export function heatmap(
  matrix: readonly (readonly number[])[],
  labels: { readonly rows: readonly string[]; readonly cols: readonly string[] },
  o: Omit<ChartOptions, 'logY'> & { readonly scheme?: ColorScheme; readonly digits?: number },
): Promise<string> {
  const values = matrix.flatMap((row, i) =>
    row.map((v, j) => ({ row: labels.rows[i], col: labels.cols[j], v })),
  );
  const text = (v: number) => v.toFixed(o.digits ?? 0);
  return renderChart({
    title: o.title,
    width: o.width ?? 360,
    height: o.height ?? 360,
    data: { values: values.map((d) => ({ ...d, label: text(d.v) })) },
    encoding: {
      x: { field: 'col', type: 'ordinal', title: o.x, sort: [...labels.cols] },
      y: { field: 'row', type: 'ordinal', title: o.y, sort: [...labels.rows] },
    },
    layer: [
      {
        mark: 'rect',
        encoding: {
          color: { field: 'v', type: 'quantitative', title: '', scale: { scheme: o.scheme ?? 'blues' } },
        },
      },
      { mark: { type: 'text', fontSize: 9 }, encoding: { text: { field: 'label', type: 'nominal' } } },
    ],
  });
}

/** A model's output over a grid of (x, y) as coloured squares, with labelled points drawn on top. */
export function surface(
  grid: readonly { readonly x: number; readonly y: number; readonly v: number }[],
  points: readonly { readonly x: number; readonly y: number; readonly label: string }[],
  o: Omit<ChartOptions, 'logY'> & { readonly cell?: number },
): Promise<string> {
  return renderChart({
    title: o.title,
    width: o.width ?? 360,
    height: o.height ?? 360,
    layer: [
      {
        data: { values: [...grid] },
        mark: { type: 'square', size: o.cell ?? 80, opacity: 0.9 },
        encoding: {
          x: { field: 'x', type: 'quantitative', title: o.x },
          y: { field: 'y', type: 'quantitative', title: o.y },
          color: {
            field: 'v',
            type: 'quantitative',
            title: 'output',
            scale: { scheme: 'redblue', domain: [0, 1] },
          },
        },
      },
      {
        data: { values: [...points] },
        mark: { type: 'text', fontSize: 16, fontWeight: 'bold' },
        encoding: {
          x: { field: 'x', type: 'quantitative' },
          y: { field: 'y', type: 'quantitative' },
          text: { field: 'label', type: 'nominal' },
        },
      },
    ],
  });
}

/** Several lines (e.g. fitted curves) with a scatter of points (e.g. the training samples) on top. */
export function linesWithPoints(lines: readonly Series[], points: Series, o: ChartOptions): Promise<string> {
  const x = { field: 'x', type: 'quantitative' as const, title: o.x };
  const y = { field: 'y', type: 'quantitative' as const, title: o.y };
  return renderChart({
    title: o.title,
    width: o.width ?? 480,
    height: o.height ?? 300,
    layer: [
      {
        data: { values: rows(lines) },
        mark: { type: 'line' },
        encoding: {
          x,
          y,
          color: { field: 'series', type: 'nominal', title: null, sort: lines.map((l) => l.name) },
        },
      },
      {
        data: { values: rows([points]) },
        mark: { type: 'circle', size: 40, color: '#000' },
        encoding: { x, y },
      },
    ],
  });
}
