import cliProgress from 'cli-progress';
import type { ProgressReporter } from './bootstrap.js';

/** A progress bar on the terminal (plain lines when stdout is not a TTY, e.g. in CI logs). */
export const consoleProgress: ProgressReporter = (step, total) => {
  if (!process.stdout.isTTY) {
    const started = Date.now();
    console.log(`${step}: 0/${total}`);
    let lastPrinted = 0;
    return {
      update(done) {
        if (done - lastPrinted >= total / 10 || done === total) {
          lastPrinted = done;
          console.log(`${step}: ${done}/${total}`);
        }
      },
      stop() {
        console.log(`${step}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      },
    };
  }
  const bar = new cliProgress.SingleBar(
    { format: `${step} [{bar}] {percentage}% {value}/{total} eta {eta_formatted}`, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return { update: (done) => bar.update(done), stop: () => bar.stop() };
};
