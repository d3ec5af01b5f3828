/**
 * Differences between the engine and KubeFed v0.10.0 that are expected: KubeFed is plainly wrong
 * or nondeterministic there. Each has its evidence; the suite reads this list (a difference that
 * matches an entry is reported as expected, not as a failure) and the README shows it.
 */
import type { Difference } from './judge.ts';

export interface ExpectedDifference {
  id: string;
  /** Which differences it covers. */
  matches: (d: Difference) => boolean;
  why: string;
}

export const EXPECTED: ExpectedDifference[] = [];

export function expectedFor(d: Difference): ExpectedDifference | undefined {
  return EXPECTED.find((e) => e.matches(d));
}
