/**
 * The lecture's worked example: a 2-2-2 network with sigmoid everywhere, shared biases b1 (hidden) and b2
 * (output), and the loss J = ½Σ(target − out)².
 */
import { scalar, sigmoid, square, variable } from '@chainrule/autograd';
import type { Tensor } from '@chainrule/autograd';

export const lectureInputs = { i1: 0.05, i2: 0.1 } as const;
export const lectureWeights = [0.15, 0.2, 0.25, 0.3, 0.4, 0.45, 0.5, 0.55] as const;
export const lectureBiases = { b1: 0.35, b2: 0.6 } as const;
export const lectureTargets = { o1: 0.01, o2: 0.99 } as const;

/** The network's intermediate values, all graph nodes over the weight variables. */
export interface LectureForward {
  readonly weights: readonly Tensor[];
  readonly inH1: Tensor;
  readonly outH1: Tensor;
  readonly inH2: Tensor;
  readonly outH2: Tensor;
  readonly inO1: Tensor;
  readonly outO1: Tensor;
  readonly inO2: Tensor;
  readonly outO2: Tensor;
  readonly loss: Tensor;
}

/** Builds the forward pass with w1..w8 as named variables. */
export function lectureForward(weights: readonly number[] = lectureWeights): LectureForward {
  const w = weights.map((v, i) => variable(v, { name: `w${i + 1}` }));
  const i1 = scalar(lectureInputs.i1, { name: 'i1' });
  const i2 = scalar(lectureInputs.i2, { name: 'i2' });
  const b1 = scalar(lectureBiases.b1, { name: 'b1' });
  const b2 = scalar(lectureBiases.b2, { name: 'b2' });
  const inH1 = w[0].mul(i1).add(w[1].mul(i2)).add(b1);
  const outH1 = sigmoid(inH1);
  const inH2 = w[2].mul(i1).add(w[3].mul(i2)).add(b1);
  const outH2 = sigmoid(inH2);
  const inO1 = w[4].mul(outH1).add(w[5].mul(outH2)).add(b2);
  const outO1 = sigmoid(inO1);
  const inO2 = w[6].mul(outH1).add(w[7].mul(outH2)).add(b2);
  const outO2 = sigmoid(inO2);
  const loss = scalar(0.5).mul(
    square(outO1.sub(lectureTargets.o1)).add(square(outO2.sub(lectureTargets.o2))),
  );
  return { weights: w, inH1, outH1, inH2, outH2, inO1, outO1, inO2, outO2, loss };
}
