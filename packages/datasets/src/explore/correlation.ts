import type { Tensor } from '@chainrule/autograd';
import { DataError, tensor } from '@chainrule/autograd';
import { asMatrix, checkFinite, columnValues } from '../rows.js';

/**
 * The Pearson correlation matrix [features, features] (float64) of the columns of x ([N, features]):
 * entry (i, j) is cov(xᵢ, xⱼ) / (σᵢ σⱼ), with ones on the diagonal. A constant column has no correlation
 * and is a DataError, as are non-finite values.
 */
export function correlation(x: Tensor): Tensor {
  const m = asMatrix('correlation', x);
  if (m.rows < 2)
    throw new DataError('correlation', `needs at least 2 rows, got ${m.rows}`, 'pass more samples');
  checkFinite('correlation', m, 'remove or impute missing values first');
  const centred = Array.from({ length: m.cols }, (_, j) => {
    const values = columnValues(m, j);
    let sum = 0;
    for (const v of values) sum += v;
    const mean = sum / m.rows;
    let squares = 0;
    for (let i = 0; i < m.rows; i++) {
      values[i] -= mean;
      squares += values[i] ** 2;
    }
    if (squares === 0) {
      throw new DataError(
        'correlation',
        `column ${j} is constant (every value is ${mean})`,
        'a constant column correlates with nothing; drop it first',
      );
    }
    return { values, norm: Math.sqrt(squares) };
  });
  const out = new Float64Array(m.cols * m.cols);
  for (let a = 0; a < m.cols; a++) {
    out[a * m.cols + a] = 1;
    for (let b = a + 1; b < m.cols; b++) {
      let dot = 0;
      const u = centred[a].values;
      const v = centred[b].values;
      for (let i = 0; i < m.rows; i++) dot += u[i] * v[i];
      const r = dot / (centred[a].norm * centred[b].norm);
      out[a * m.cols + b] = r;
      out[b * m.cols + a] = r;
    }
  }
  return tensor(out, { shape: [m.cols, m.cols] });
}
