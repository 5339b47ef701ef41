/**
 * The training progress bar (cli-progress): one bar per epoch on an interactive terminal, silent in CI,
 * in pipes and in tests.
 */
import cliProgress from 'cli-progress';

/** What fit reports to the progress display. */
export interface Progress {
  startEpoch(epoch: number, epochs: number, batches: number): void;
  batch(done: number, loss: number): void;
  endEpoch(logs: Readonly<Record<string, number>>): void;
}

/** True when a progress bar helps: stdout is a terminal and this is not CI. */
export function progressByDefault(): boolean {
  return Boolean(process.stdout.isTTY) && !process.env.CI;
}

const quiet: Progress = { startEpoch: () => {}, batch: () => {}, endEpoch: () => {} };

function formatLogs(logs: Readonly<Record<string, number>>): string {
  return Object.entries(logs)
    .map(([k, v]) => `${k} ${v.toPrecision(4)}`)
    .join(' · ');
}

/** A progress display: a cli-progress bar on stdout when `enabled`, otherwise nothing. */
export function createProgress(enabled: boolean): Progress {
  if (!enabled) return quiet;
  const bar = new cliProgress.SingleBar(
    {
      format: 'epoch {epoch}/{epochs} |{bar}| {value}/{total} batches · loss {loss} {logs}',
      stream: process.stdout,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  return {
    startEpoch: (epoch, epochs, batches) =>
      bar.start(batches, 0, { epoch: epoch + 1, epochs, loss: '…', logs: '' }),
    batch: (done, loss) => bar.update(done, { loss: loss.toPrecision(4) }),
    endEpoch: ({ loss, ...rest }) => {
      bar.update({
        loss: loss.toPrecision(4),
        logs: Object.keys(rest).length ? `· ${formatLogs(rest)}` : '',
      });
      bar.stop();
    },
  };
}
