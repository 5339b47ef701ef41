/**
 * `pnpm demo` — placeholder until the demos issue lands: runs the lecture's backprop example.
 */
import { scalar, sigmoid, square, variable, gradients } from '@chainrule/autograd';

const w = [0.15, 0.2, 0.25, 0.3, 0.4, 0.45, 0.5, 0.55].map((v, i) => variable(v, { name: `w${i + 1}` }));
const [i1, i2, b1, b2] = [0.05, 0.1, 0.35, 0.6];
const outH1 = sigmoid(w[0].mul(i1).add(w[1].mul(i2)).add(b1));
const outH2 = sigmoid(w[2].mul(i1).add(w[3].mul(i2)).add(b1));
const outO1 = sigmoid(w[4].mul(outH1).add(w[5].mul(outH2)).add(b2));
const outO2 = sigmoid(w[6].mul(outH1).add(w[7].mul(outH2)).add(b2));
const loss = scalar(0.5).mul(square(outO1.sub(0.01)).add(square(outO2.sub(0.99))));
const grads = gradients(loss, w);
console.log(`J = ${loss.item().toFixed(6)}`);
grads.forEach((g, i) =>
  console.log(
    `dJ/dw${i + 1} = ${g.item().toFixed(6)}  ->  w${i + 1} = ${(w[i].item() - 0.5 * g.item()).toFixed(5)}`,
  ),
);
