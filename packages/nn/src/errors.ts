/**
 * The one error kind nn adds to autograd's: training that cannot go on.
 */
import { ChainruleError } from '@chainrule/autograd';

/** Training diverged or was misconfigured: a NaN or infinite loss, an empty data set, ... */
export class TrainingError extends ChainruleError {
  override readonly name = 'TrainingError';
}
