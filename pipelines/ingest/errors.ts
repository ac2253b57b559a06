/**
 * A problem the person running the pipeline can fix (missing folder, unreadable key, ...). The CLI
 * prints only `message` and exits with `exitCode`; anything else is our bug and gets a stack trace.
 */
export class PipelineError extends Error {
  override readonly name = 'PipelineError';
  constructor(
    message: string,
    readonly exitCode = 1,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Exit status when the run cannot start: bad flags, no key, no input. */
export const EXIT_USAGE = 2;
/** Exit status when the input was read but the build must not be published (e.g. a pseudonym collision). */
export const EXIT_BUILD_FAILED = 3;
