/**
 * Activation functions that autograd has no single op for, composed from ops (so they differentiate, print
 * and render like any other graph).
 */
import type { Tensor } from '@chainrule/autograd';
import { mul, sigmoid, tanh } from '@chainrule/autograd';

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/**
 * GELU in the tanh approximation, ½x(1 + tanh(√(2/π)(x + 0.044715x³))), as PyTorch's
 * `gelu(approximate='tanh')` and the original BERT/GPT code. It stays within about 5e-4 of the exact
 * x·Φ(x), which would need an erf op that autograd does not have.
 */
export function gelu(x: Tensor): Tensor {
  const inner = mul(SQRT_2_OVER_PI, x.add(mul(0.044715, x.mul(x).mul(x))));
  return mul(0.5, x.mul(tanh(inner).add(1)));
}

/** SiLU (swish): x·σ(x). */
export function silu(x: Tensor): Tensor {
  return x.mul(sigmoid(x));
}
