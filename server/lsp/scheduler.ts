/**
 * Cooperative scheduling inside the language server: long work yields to the event loop between
 * slices, so incoming requests and edits are never kept waiting for long.
 */

/**
 * Lets the event loop turn before going on. Long work (parsing a large file, validating its
 * documents, publishing) runs in slices of 10–20 ms separated by these yields; the waiting
 * slices are resumed one per turn of the loop, so two long jobs never run back to back in the
 * same turn (which would block incoming messages for the sum of their slices).
 */
export function yieldToLoop(): Promise<void> {
  return new Promise((resume) => {
    waiting.push(resume);
    arm();
  });
}

const waiting: (() => void)[] = [];
let armed = false;

function arm(): void {
  if (armed) return;
  armed = true;
  setImmediate(() => {
    armed = false;
    const next = waiting.shift();
    if (waiting.length) arm();
    next?.();
  });
}
