import { describe, expect, it } from 'vitest';
import { XMLParser } from 'fast-xml-parser';
import { FormatError, gradients, scalar, toDot, toSvg, variable } from '@chainrule/autograd';
import type { Tensor } from '@chainrule/autograd';

interface SvgElement {
  readonly '@_class'?: string;
  readonly g?: SvgElement[];
  readonly text?: (string | { readonly '#text': string })[];
}

/** The text lines of every node drawn in the SVG, node by node. */
function nodeTexts(svg: string): string[][] {
  const parser = new XMLParser({
    ignoreAttributes: false,
    parseTagValue: false,
    trimValues: false,
    htmlEntities: true,
    isArray: (name) => name === 'g' || name === 'text',
  });
  const doc = parser.parse(svg) as { svg: SvgElement };
  const nodes: string[][] = [];
  const walk = (el: SvgElement) => {
    if (el['@_class'] === 'node') {
      nodes.push((el.text ?? []).map((t) => (typeof t === 'string' ? t : t['#text'])));
    }
    for (const child of el.g ?? []) walk(child);
  };
  walk(doc.svg);
  return nodes;
}

/** The lecture's 2-2-2 network: inputs 0.05, 0.10; weights w1..w8; biases b1, b2; targets 0.01, 0.99. */
function lectureNetwork() {
  const i1 = scalar(0.05, { name: 'i1' });
  const i2 = scalar(0.1, { name: 'i2' });
  const [w1, w2, w3, w4, w5, w6, w7, w8] = [0.15, 0.2, 0.25, 0.3, 0.4, 0.45, 0.5, 0.55].map((v, k) =>
    variable(v, { name: `w${k + 1}` }),
  );
  const b1 = variable(0.35, { name: 'b1' });
  const b2 = variable(0.6, { name: 'b2' });
  const neuron = (wa: Tensor, a: Tensor, wb: Tensor, b: Tensor, bias: Tensor) =>
    wa.mul(a).add(wb.mul(b)).add(bias).sigmoid();
  const h1 = neuron(w1, i1, w2, i2, b1);
  const h2 = neuron(w3, i1, w4, i2, b1);
  const o1 = neuron(w5, h1, w6, h2, b2);
  const o2 = neuron(w7, h1, w8, h2, b2);
  const loss = o1.sub(0.01).square().add(o2.sub(0.99).square()).mul(0.5);
  return { loss, weights: [w1, w2, w3, w4, w5, w6, w7, w8] };
}

/** The same network's weight gradients by the chain rule written out in plain numbers. */
function handGradients(): number[] {
  const s = (z: number) => 1 / (1 + Math.exp(-z));
  const h1 = s(0.15 * 0.05 + 0.2 * 0.1 + 0.35);
  const h2 = s(0.25 * 0.05 + 0.3 * 0.1 + 0.35);
  const o1 = s(0.4 * h1 + 0.45 * h2 + 0.6);
  const o2 = s(0.5 * h1 + 0.55 * h2 + 0.6);
  const d1 = (o1 - 0.01) * o1 * (1 - o1);
  const d2 = (o2 - 0.99) * o2 * (1 - o2);
  const e1 = (d1 * 0.4 + d2 * 0.5) * h1 * (1 - h1);
  const e2 = (d1 * 0.45 + d2 * 0.55) * h2 * (1 - h2);
  return [e1 * 0.05, e1 * 0.1, e2 * 0.05, e2 * 0.1, d1 * h1, d1 * h2, d2 * h1, d2 * h2];
}

describe('toSvg', () => {
  it("renders the lecture's 2-2-2 network after one backward pass, naming w1..w8 with their gradients", async () => {
    const { loss, weights } = lectureNetwork();
    const grads = gradients(loss, weights);
    const svg = await toSvg(
      toDot(loss, { values: true, grads: weights.map((w, i) => [w, grads[i]] as const) }),
    );
    const nodes = nodeTexts(svg);
    const expected = handGradients();
    // The lecture's own number for ∂J/∂w5 (0.082167), to the 6 decimals it prints.
    expect(Math.abs(expected[4] - 0.082167)).toBeLessThan(1e-6);
    for (let k = 0; k < 8; k++) {
      const node = nodes.find((lines) => lines[0] === `w${k + 1}`);
      expect(node, `w${k + 1} is drawn`).toBeDefined();
      const gradLine = node?.find((l) => l.startsWith('grad ')) ?? '';
      // Labels show 4 significant digits, so the printed gradient is within 1e-3 relative of the true one.
      const shown = Number(gradLine.slice('grad '.length));
      expect(Math.abs(shown - expected[k]) / Math.abs(expected[k])).toBeLessThan(1e-3);
    }
    // The loss is drawn with its value, ≈ 0.2984 in the lecture's example (printed there as 0.3).
    const output = nodes.find(
      (lines) => lines[0] === 'mul' && lines.some((l) => l.startsWith('value 0.298')),
    );
    expect(output).toBeDefined();
  });

  it('shows a hostile tensor name as literal text and draws no extra node', async () => {
    const evil = variable(1, { name: '"]; evil [label="x' });
    const tricky = variable(2, { name: 'a{b|c}<i>&alpha; \\N\nline 2' });
    const nodes = nodeTexts(await toSvg(toDot(evil.mul(tricky))));
    // Graphviz may order nodes by rank, so look them up by content rather than position.
    expect(nodes).toHaveLength(3);
    expect(nodes).toContainEqual(['"]; evil [label="x', 'variable', '[] float64']);
    expect(nodes).toContainEqual(['a{b|c}<i>&alpha; \\N', 'line 2', 'variable', '[] float64']);
    expect(nodes).toContainEqual(['mul', '[] float64']);
  });

  it("turns a Graphviz error into a FormatError carrying Graphviz's message", async () => {
    await expect(toSvg('digraph { a -> }')).rejects.toThrow(FormatError);
    await expect(toSvg('digraph { a -> }')).rejects.toThrow(/syntax error in line 1/);
    await expect(toSvg('  ')).rejects.toThrow(/empty/);
    const notText = variable(1) as unknown as string;
    await expect(toSvg(notText)).rejects.toThrow(
      /toSvg: expects DOT text, got Tensor[\s\S]*toSvg\(toDot\(t\)\)/,
    );
  });
});
