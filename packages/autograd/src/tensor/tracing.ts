/**
 * Whether `jit` is tracing a function right now. Kept in a module of its own, with no imports, because the
 * tensor, the op layer, the random numbers and the gradients all ask it.
 */
let depth = 0;
/** True while an op's forward function runs inside a trace (it may read traced values: a replay reruns it). */
let inForward = false;

/** True while `jit` traces a function (its ops then record a graph that will be replayed). */
export function isTracing(): boolean {
  return depth > 0;
}

/** Runs `fn` as a trace: every op on a traced value records a node, even where gradients would not. */
export function whileTracing<T>(fn: () => T): T {
  depth++;
  try {
    return fn();
  } finally {
    depth--;
  }
}

/**
 * Runs an op's forward function during a trace. It reads its traced operands' values, which is fine: the
 * replay calls it again on each call's values.
 */
export function forwardWhileTracing<T>(fn: () => T): T {
  const before = inForward;
  inForward = true;
  try {
    return fn();
  } finally {
    inForward = before;
  }
}

/**
 * True where reading a traced value would hide a dependence from the trace: while tracing, outside an op's
 * forward function (a derivative rule or user code that turns values into JS numbers or constants).
 */
export function isHiddenRead(): boolean {
  return depth > 0 && !inForward;
}
