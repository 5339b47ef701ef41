/**
 * Hash-consing: one canonical tensor per distinct expression. A node's key is (op name, attributes, the
 * canonical ids of its inputs) as an immutable List, so equal keys are found by immutable's value equality
 * (`hashCode`/`equals`) and equal subexpressions become one shared node — common-subexpression elimination.
 */
import { List, Map as ImmutableMap, fromJS } from 'immutable';
import type { Tensor } from '../../tensor/tensor.js';
import { apply } from '../../ops/apply.js';
import type { NodeSpec } from './spec.js';

/** Constants up to this many entries are keyed by value (so equal constants merge); larger ones by identity. */
const VALUE_KEYED_SIZE = 1024;

function leafKey(t: Tensor): List<unknown> {
  if (t.kind === 'constant' && t.size <= VALUE_KEYED_SIZE) {
    return List<unknown>(['constant', t.dtype, List(t.shape), List(t.data)]);
  }
  return List<unknown>([t.kind, t.id]);
}

/** The canonical-node table of one `simplify` call. */
export class HashCons {
  private readonly table = ImmutableMap<List<unknown>, Tensor>().asMutable();
  private readonly ids = new Map<Tensor, number>();

  /** True when `t` is the canonical node of its expression. */
  isCanonical(t: Tensor): boolean {
    return this.ids.has(t);
  }

  /** The number of distinct expressions seen. */
  get size(): number {
    return this.ids.size;
  }

  /** The canonical node equal to `t` (registering `t`'s subgraph where it is new). */
  intern(t: Tensor): Tensor {
    if (this.ids.has(t)) return t;
    if (!t.op) return this.register(leafKey(t), t);
    const inputs = t.inputs.map((i) => this.intern(i));
    return this.build({ op: t.op, inputs, attrs: t.attrs }, t);
  }

  /**
   * The canonical node for a spec whose inputs are canonical: an existing one with the same key, else
   * `template` when it already has exactly these inputs, else a new node made with `apply` (named like
   * `template`). Specs whose inputs are all constants fold to a constant.
   */
  build(spec: NodeSpec, template?: Tensor): Tensor {
    const key = List<unknown>([spec.op.name, fromJS(spec.attrs), ...spec.inputs.map((i) => this.ids.get(i))]);
    const found = this.table.get(key);
    if (found) return found;
    const reusable =
      template?.op === spec.op &&
      template.inputs.length === spec.inputs.length &&
      template.inputs.every((x, i) => x === spec.inputs[i]);
    const t = reusable ? template : apply(spec.op, spec.inputs, spec.attrs, template?.name);
    if (!t.op) return this.intern(t);
    return this.register(key, t);
  }

  private register(key: List<unknown>, t: Tensor): Tensor {
    const found = this.table.get(key);
    if (found) return found;
    this.table.set(key, t);
    this.ids.set(t, this.ids.size);
    return t;
  }
}
