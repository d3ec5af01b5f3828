/**
 * Imported first by extension.ts so that this runs before the rest of the bundle is evaluated:
 * the activation time reported by the extension includes loading its own code.
 */
export const loadStart = performance.now();
