import { List, Map as ImmutableMap } from 'immutable';
import { GraphError } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * A parameter tree: a tensor, or an immutable Map / List of trees. Gradients and optimizer state come back
 * as trees with the same keys.
 */
export type Tree = Tensor | ImmutableMap<string, Tree> | List<Tree>;

/** A tree of tensors or plain numbers, as accepted by the function transforms. */
export type TreeInput = Tree | number;

/** The tensors of a tree in a fixed order (Map entries in insertion order). */
export function treeLeaves(tree: Tree): Tensor[] {
  const out: Tensor[] = [];
  const walk = (t: Tree): void => {
    if (t instanceof Tensor) out.push(t);
    else if (List.isList(t)) (t as List<Tree>).forEach(walk);
    else (t as ImmutableMap<string, Tree>).forEach(walk);
  };
  walk(tree);
  return out;
}

/** A tree of the same structure with every tensor replaced by `fn(tensor)`. */
export function mapTree(tree: Tree, fn: (t: Tensor, path: string) => Tensor, path = ''): Tree {
  if (tree instanceof Tensor) return fn(tree, path);
  if (List.isList(tree))
    return (tree as List<Tree>).map((t, i) => mapTree(t, fn, path ? `${path}.${i}` : String(i)));
  if (ImmutableMap.isMap(tree)) {
    return (tree as ImmutableMap<string, Tree>).map((t, k) => mapTree(t, fn, path ? `${path}.${k}` : k));
  }
  throw new GraphError(
    'tree',
    `unsupported tree node ${String(tree)}`,
    'trees hold tensors in immutable Maps and Lists',
  );
}

/** Rebuilds a tree of `tree`'s structure from leaves in `treeLeaves` order. */
export function unflatten(tree: Tree, leaves: readonly Tensor[]): Tree {
  let i = 0;
  return mapTree(tree, () => leaves[i++]);
}
