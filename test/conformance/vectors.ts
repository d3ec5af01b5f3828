import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, resolve, basename } from 'node:path';

export interface VectorCase {
  name: string;
  derived?: boolean;
  upstreamTest?: string;
  note?: string;
  quirk?: boolean;
  input: any;
  expected: any;
}

export interface VectorFamily {
  family: string;
  file: string;
  format?: string;
  cases: VectorCase[];
}

/** Directory of vector files: $KFED_VECTORS, else ../shared/reference/vectors beside the checkout. */
export function vectorsDir(): string {
  if (process.env.KFED_VECTORS) return resolve(process.env.KFED_VECTORS);
  return resolve(import.meta.dirname, '..', '..', '..', 'shared', 'reference', 'vectors');
}

export function loadFamilies(dir = vectorsDir()): VectorFamily[] {
  if (!existsSync(dir)) throw new Error(`vector directory not found: ${dir} (set KFED_VECTORS)`);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const file = join(dir, f);
      const data = JSON.parse(readFileSync(file, 'utf8'));
      return { family: basename(f, '.json'), file, format: data.format, cases: data.cases ?? [] };
    });
}
