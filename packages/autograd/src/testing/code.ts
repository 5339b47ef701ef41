/**
 * Prints a failing case as TypeScript a user can paste: the inputs as tensor literals and the function's
 * recorded graph as `apply(opTable.<op>, ...)` calls, which reproduce it node for node.
 */
import { opTable, topologicalOrder, variable } from '../index.js';
import type { Tensor } from '../index.js';
import type { TensorFunction } from './gradcheck.js';

const MAX_PRINTED_NODES = 60;

/** `tensor(...)` source for a tensor's values (numbers print so they parse back to the same double). */
export function tensorLiteral(t: Tensor): string {
  const dtype = t.dtype === 'float64' ? '' : `, { dtype: '${t.dtype}' }`;
  return `tensor(${JSON.stringify(t.toArray())}${dtype})`;
}

function attrsLiteral(attrs: unknown): string {
  return attrs === undefined ? 'undefined' : JSON.stringify(attrs);
}

/** The body of f as one `apply` line per recorded node, or null when the graph is too large to be useful. */
function graphCode(y: Tensor, params: Map<Tensor, string>): string[] | null {
  const order = topologicalOrder([y]).filter((t) => !params.has(t));
  if (order.length > MAX_PRINTED_NODES) return null;
  const names = new Map(params);
  const ref = (t: Tensor): string => names.get(t) ?? tensorLiteral(t);
  const lines = order.map((node, k) => {
    names.set(node, `t${k}`);
    const op = node.op;
    if (!op) return `  const t${k} = ${ref(node)};`;
    const table =
      (opTable as Record<string, unknown>)[op.name] === op ? '' : ' /* a modified copy of this op */';
    return `  const t${k} = apply(opTable.${op.name}${table}, [${node.inputs.map(ref).join(', ')}], ${attrsLiteral(node.attrs)});`;
  });
  return [...lines, `  return ${ref(y)};`];
}

/** Source that rebuilds `inputs` and, when its graph is small, `f`, followed by the gradcheck call. */
export function caseCode(f: TensorFunction, inputs: readonly Tensor[], checkOptions: string): string {
  const vars = inputs.map((x) => (x.dtype === 'int32' ? x : variable(x)));
  const params = new Map(vars.map((v, i) => [v, `x${i}`] as const));
  const body = graphCode(f(...vars), params);
  const signature = inputs.map((_, i) => `x${i}: Tensor`).join(', ');
  const fn = body
    ? [`const f = (${signature}): Tensor => {`, ...body, '};']
    : ['// f: your function (its graph is too large to print)'];
  return [
    "import { apply, opTable, tensor, type Tensor } from '@chainrule/autograd';",
    "import { gradcheck } from '@chainrule/autograd/testing';",
    ...fn,
    `const inputs = [${inputs.map(tensorLiteral).join(', ')}];`,
    `gradcheck(f, inputs, ${checkOptions});`,
  ].join('\n');
}
