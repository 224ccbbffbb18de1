import { describeError } from '../errors/vigil-error.js';

/**
 * Undo steps registered as resources are acquired (broker, temp dirs, topics), run in reverse
 * order exactly once, each best effort: one failing step must not keep the others from running
 * or hide the error that ended the run.
 */
export class CleanupStack {
  private readonly steps: { readonly what: string; readonly run: () => Promise<void> }[] = [];

  push(what: string, run: () => Promise<void>): void {
    this.steps.push({ what, run });
  }

  async run(report: (line: string) => void): Promise<void> {
    for (const step of this.steps.splice(0).reverse()) {
      try {
        await step.run();
      } catch (error) {
        report(`cleanup: ${step.what} failed: ${describeError(error)}`);
      }
    }
  }
}
