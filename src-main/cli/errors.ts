// Errors the `lab` command reports as one clear line with exit code 2 (bad input), nothing on stdout.
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Exit codes of the `lab` command. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
