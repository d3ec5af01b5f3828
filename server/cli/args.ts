/** Command-line parsing for kfed: flags with values, repeatable flags, positionals. */
export class UsageError extends Error {}

export interface FlagSpec {
  /** Takes a value (`--out-dir DIR` or `--out-dir=DIR`). */
  value?: boolean;
  repeat?: boolean;
  short?: string;
  choices?: readonly string[];
}

export interface Parsed {
  flags: Map<string, string[]>;
  positionals: string[];
}

export function parseArgs(argv: string[], spec: Record<string, FlagSpec>): Parsed {
  const flags = new Map<string, string[]>();
  const positionals: string[] = [];
  const byShort = new Map(Object.entries(spec).filter(([, s]) => s.short).map(([n, s]) => [s.short!, n]));
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    let name: string | undefined;
    let inline: string | undefined;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      inline = eq < 0 ? undefined : a.slice(eq + 1);
    } else if (a.startsWith('-') && a.length > 1) {
      name = byShort.get(a.slice(1, 2));
      if (!name) throw new UsageError(`unknown flag: ${a}`);
      inline = a.length > 2 ? a.slice(2).replace(/^=/, '') : undefined;
    } else {
      positionals.push(a);
      continue;
    }
    const s = spec[name];
    if (!s) throw new UsageError(`unknown flag: --${name}`);
    let v = 'true';
    if (s.value) {
      if (inline !== undefined) v = inline;
      else if (i + 1 < argv.length) v = argv[++i];
      else throw new UsageError(`flag --${name} needs a value`);
      if (s.choices && !s.choices.includes(v)) throw new UsageError(`--${name} must be one of ${s.choices.join(', ')} (got "${v}")`);
    } else if (inline !== undefined) {
      throw new UsageError(`flag --${name} takes no value`);
    }
    const list = flags.get(name) ?? [];
    if (list.length && !s.repeat) throw new UsageError(`flag --${name} given twice`);
    list.push(v);
    flags.set(name, list);
  }
  return { flags, positionals };
}

export function flag(p: Parsed, name: string): string | undefined {
  return p.flags.get(name)?.[0];
}

export function flags(p: Parsed, name: string): string[] {
  return p.flags.get(name) ?? [];
}
