/**
 * Deletion of federated resources.
 * v1beta1: kubefed pkg/controller/util/{deletionannotation,orphaninganotation}.go and
 * pkg/controller/sync/controller.go (ensureDeletion, deleteFromClusters) at HEAD.
 * v1alpha1: pkg/controller/util/deletionhelper/deletion_helper.go at 0d38cc775.
 */
import { own, setOwn } from './json.ts';

export const SYNC_FINALIZER = 'kubefed.io/sync-controller';
export const DELETE_OPTION_ANNOTATION = 'kubefed.io/deleteoption';
export const ORPHAN_ANNOTATION = 'kubefed.io/orphan';
export const V1ALPHA1_DELETE_FINALIZER = 'federation.kubernetes.io/delete-from-underlying-clusters';
export const ORPHAN_FINALIZER = 'orphan';

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: string;
  preconditions?: { uid?: string; resourceVersion?: string };
}

// ---------------------------------------------------------------------------------------------
// A JSON reader that keeps number literals, so values decode with Go encoding/json's rules.

type Node =
  | { t: 'obj'; entries: [string, Node][] }
  | { t: 'arr'; items: Node[] }
  | { t: 'str'; v: string }
  | { t: 'num'; raw: string }
  | { t: 'bool'; v: boolean }
  | { t: 'null' };

class JsonSyntaxError extends Error {}

/** A recursive-descent reader of one JSON text (RFC 8259), number literals kept as written. */
class JsonReader {
  private i = 0;
  constructor(private readonly text: string) {}

  document(): Node {
    const v = this.value();
    this.ws();
    if (this.i !== this.text.length) this.fail();
    return v;
  }

  private ws(): void {
    while (this.i < this.text.length && ' \t\n\r'.includes(this.text[this.i]!)) this.i++;
  }

  private fail(): never {
    throw new JsonSyntaxError(`invalid character at offset ${this.i}`);
  }

  private lit(word: string): void {
    if (this.text.startsWith(word, this.i)) this.i += word.length;
    else this.fail();
  }

  private str(): string {
    const text = this.text;
    const start = this.i;
    this.i++; // opening quote
    while (this.i < text.length && text[this.i] !== '"') {
      const ch = text.charCodeAt(this.i);
      if (ch < 0x20) this.fail();
      if (text[this.i] === '\\') {
        this.i++;
        const e = text[this.i];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(this.i + 1, this.i + 5))) this.fail();
          this.i += 4;
        } else if (e === undefined || !'"\\/bfnrt'.includes(e)) this.fail();
      }
      this.i++;
    }
    if (this.i >= text.length) this.fail();
    this.i++;
    return JSON.parse(text.slice(start, this.i)) as string;
  }

  private object(): Node {
    this.i++;
    const entries: [string, Node][] = [];
    this.ws();
    if (this.text[this.i] === '}') {
      this.i++;
      return { t: 'obj', entries };
    }
    for (;;) {
      this.ws();
      if (this.text[this.i] !== '"') this.fail();
      const k = this.str();
      this.ws();
      if (this.text[this.i] !== ':') this.fail();
      this.i++;
      entries.push([k, this.value()]);
      this.ws();
      if (this.text[this.i] === ',') this.i++;
      else if (this.text[this.i] === '}') {
        this.i++;
        return { t: 'obj', entries };
      } else this.fail();
    }
  }

  private array(): Node {
    this.i++;
    const items: Node[] = [];
    this.ws();
    if (this.text[this.i] === ']') {
      this.i++;
      return { t: 'arr', items };
    }
    for (;;) {
      items.push(this.value());
      this.ws();
      if (this.text[this.i] === ',') this.i++;
      else if (this.text[this.i] === ']') {
        this.i++;
        return { t: 'arr', items };
      } else this.fail();
    }
  }

  private value(): Node {
    this.ws();
    const ch = this.text[this.i];
    if (ch === '{') return this.object();
    if (ch === '[') return this.array();
    if (ch === '"') return { t: 'str', v: this.str() };
    if (ch === 't' || ch === 'f' || ch === 'n') {
      const word = ch === 't' ? 'true' : ch === 'f' ? 'false' : 'null';
      this.lit(word);
      return word === 'null' ? { t: 'null' } : { t: 'bool', v: word === 'true' };
    }
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.text.slice(this.i));
    if (!m) return this.fail();
    this.i += m[0].length;
    return { t: 'num', raw: m[0] };
  }
}

function parseJson(text: string): Node {
  return new JsonReader(text).document();
}

/** Go's case-insensitive struct field matching (with the Kelvin sign and long s folds). */
const fold = (s: string): string => s.toUpperCase().toLowerCase();

class GoTypeError extends Error {}

function decodeInt64(n: Node): number | undefined {
  if (n.t === 'null') return undefined;
  if (n.t !== 'num' || !/^-?\d+$/.test(n.raw)) throw new GoTypeError('cannot unmarshal into int64');
  const b = BigInt(n.raw);
  if (b !== BigInt.asIntN(64, b)) throw new GoTypeError('int64 out of range');
  return Number(b);
}

function decodeStringPtr(n: Node): string | undefined {
  if (n.t === 'null') return undefined;
  if (n.t !== 'str') throw new GoTypeError('cannot unmarshal into string');
  return n.v;
}

/** metav1.DeleteOptions decode; only the fields the sync controller forwards are returned. */
function decodeDeleteOptions(root: Node): DeleteOptions {
  if (root.t === 'null') return {};
  if (root.t !== 'obj') throw new GoTypeError('cannot unmarshal into DeleteOptions');
  const out: DeleteOptions = {};
  let typeError: GoTypeError | null = null;
  const guard = (f: () => void): void => {
    try {
      f();
    } catch (e) {
      if (!(e instanceof GoTypeError)) throw e;
      typeError ??= e;
    }
  };
  for (const [key, n] of root.entries) {
    const k = fold(key);
    guard(() => {
      if (k === 'graceperiodseconds') {
        const v = decodeInt64(n);
        if (v === undefined) delete out.gracePeriodSeconds;
        else out.gracePeriodSeconds = v;
      } else if (k === 'propagationpolicy') {
        const v = decodeStringPtr(n);
        if (v === undefined) delete out.propagationPolicy;
        else out.propagationPolicy = v;
      } else if (k === 'preconditions') {
        if (n.t === 'null') delete out.preconditions;
        else if (n.t !== 'obj') throw new GoTypeError('cannot unmarshal into Preconditions');
        else {
          const p = out.preconditions ?? {};
          out.preconditions = p;
          for (const [pk, pn] of n.entries) {
            const f = fold(pk);
            guard(() => {
              if (f === 'uid' || f === 'resourceversion') {
                const name = f === 'uid' ? 'uid' : 'resourceVersion';
                const v = decodeStringPtr(pn);
                if (v === undefined) delete p[name];
                else p[name] = v;
              }
            });
          }
        }
      } else if (k === 'kind' || k === 'apiversion') {
        if (n.t !== 'null' && n.t !== 'str') throw new GoTypeError('cannot unmarshal into string');
      } else if (k === 'orphandependents') {
        if (n.t !== 'null' && n.t !== 'bool') throw new GoTypeError('cannot unmarshal into bool');
      } else if (k === 'dryrun') {
        if (n.t === 'arr') {
          for (const it of n.items) if (it.t !== 'null' && it.t !== 'str') throw new GoTypeError('cannot unmarshal into string');
        } else if (n.t !== 'null') throw new GoTypeError('cannot unmarshal into []string');
      }
    });
  }
  if (typeError) throw typeError;
  return out;
}

/** Decodes the kubefed.io/deleteoption annotation value; throws when Go would fail to decode it. */
export function parseDeleteOptions(text: string): DeleteOptions {
  return decodeDeleteOptions(parseJson(text));
}

/** unstructured GetAnnotations: the map, or null when absent or not all values are strings. */
function annotationsOf(obj: unknown): Record<string, string> | null {
  const a = own(own(obj, 'metadata'), 'annotations');
  if (a === null || typeof a !== 'object' || Array.isArray(a)) return null;
  for (const v of Object.values(a)) if (typeof v !== 'string') return null;
  return a as Record<string, string>;
}

function finalizersOf(obj: unknown): string[] {
  const f = own(own(obj, 'metadata'), 'finalizers');
  // unstructured GetFinalizers: nil unless every entry is a string.
  return Array.isArray(f) && f.every((x) => typeof x === 'string') ? (f as string[]) : [];
}

export type DeleteOptionsResult = { deleteOptions: DeleteOptions } | { error: string };

/** util.GetDeleteOptions: the options forwarded with every member-cluster delete. */
export function deleteOptions(federatedObject: unknown): DeleteOptionsResult {
  const annotations = annotationsOf(federatedObject);
  if (!annotations || !Object.prototype.hasOwnProperty.call(annotations, DELETE_OPTION_ANNOTATION)) return { deleteOptions: {} };
  const text = annotations[DELETE_OPTION_ANNOTATION]!;
  try {
    return { deleteOptions: parseDeleteOptions(text) };
  } catch (e) {
    return { error: `could not deserialize delete options from annotation value '${text}': ${(e as Error).message}` };
  }
}

/** util.IsOrphaningEnabled: annotation kubefed.io/orphan is exactly "true". */
export function isOrphaning(federatedObject: unknown): boolean {
  return annotationsOf(federatedObject)?.[ORPHAN_ANNOTATION] === 'true';
}

// ---------------------------------------------------------------------------------------------
// Deletion flows

export interface DeletionCluster {
  name: string;
  ready: boolean;
  /** Cached managed object in that cluster, or null. */
  object?: unknown;
  /** v1beta1: the object is the host cluster's own namespace (FederatedNamespace). */
  isHostNamespace?: boolean;
  /** v1alpha1: the object is the template Namespace itself (same UID). */
  isPrimaryCluster?: boolean;
}

export type DeletionAction = 'delete' | 'removeManagedLabel' | 'none';
export type DeletionOutcome = 'nothing' | 'requeue' | 'error' | 'verifyThenRemoveFinalizer' | 'finalizerRemoved';

export interface DeletionFlowResult {
  actions: Record<string, DeletionAction>;
  /** Options passed with each delete (absent when the flow never reaches the deletes). */
  deleteOptions?: DeleteOptions;
  outcome: DeletionOutcome;
}

const beingDeleted = (obj: unknown): boolean => {
  const ts = own(own(obj, 'metadata'), 'deletionTimestamp');
  return ts !== undefined && ts !== null;
};
const present = (o: unknown): boolean => o !== undefined && o !== null;

function setAction(actions: Record<string, DeletionAction>, name: string, a: DeletionAction): void {
  setOwn(actions, name, a);
}

/** ensureDeletion of a v1beta1 federated object that is being deleted. */
export function deletionFlow(input: { federatedObject: unknown; clusters: readonly DeletionCluster[] }): DeletionFlowResult {
  const actions: Record<string, DeletionAction> = {};
  if (!finalizersOf(input.federatedObject).includes(SYNC_FINALIZER)) return { actions, outcome: 'nothing' };

  if (isOrphaning(input.federatedObject)) {
    // The finalizer is removed first, then the managed label is stripped from every copy.
    for (const c of input.clusters) {
      if (!c.ready || !present(c.object)) continue;
      setAction(actions, c.name, beingDeleted(c.object) ? 'none' : 'removeManagedLabel');
    }
    return { actions, outcome: 'finalizerRemoved' };
  }

  const opts = deleteOptions(input.federatedObject);
  if ('error' in opts) return { actions, outcome: 'error' };

  let unready = false;
  let remaining = 0;
  for (const c of input.clusters) {
    if (!c.ready) {
      unready = true;
      continue;
    }
    if (!present(c.object)) continue;
    const deleting = beingDeleted(c.object);
    if (c.isHostNamespace && deleting) {
      // A host namespace being deleted cannot block the FederatedNamespace.
      setAction(actions, c.name, 'none');
      continue;
    }
    remaining++;
    if (deleting) setAction(actions, c.name, 'none');
    else setAction(actions, c.name, c.isHostNamespace ? 'removeManagedLabel' : 'delete');
  }
  const outcome: DeletionOutcome = unready ? 'error' : remaining > 0 ? 'requeue' : 'verifyThenRemoveFinalizer';
  return { actions, deleteOptions: opts.deleteOptions, outcome };
}

export interface SeedDeletionFlowResult {
  actions: Record<string, 'delete'>;
  /** metadata.finalizers of the template after this pass. */
  finalizersAfter: string[];
  /** 'retry': copies are still being deleted or clusters are not ready (the call errors). */
  outcome?: 'retry';
}

function sortedDifference(list: readonly string[], remove: readonly string[]): string[] {
  return [...new Set(list)].filter((f) => !remove.includes(f)).sort();
}

function uidOf(obj: unknown): string {
  const u = own(own(obj, 'metadata'), 'uid');
  return typeof u === 'string' ? u : '';
}

/** DeletionHelper.HandleObjectInUnderlyingClusters (v1alpha1) for a template being deleted. */
export function seedDeletionFlow(input: {
  template: unknown;
  targetKind?: string;
  clusters: readonly DeletionCluster[];
}): SeedDeletionFlowResult {
  const finalizers = finalizersOf(input.template);
  if (!finalizers.includes(V1ALPHA1_DELETE_FINALIZER)) return { actions: {}, finalizersAfter: [...finalizers] };
  if (finalizers.includes(ORPHAN_FINALIZER)) {
    return { actions: {}, finalizersAfter: sortedDifference(finalizers, [V1ALPHA1_DELETE_FINALIZER, ORPHAN_FINALIZER]) };
  }
  const actions: Record<string, 'delete'> = {};
  let ops = 0;
  let unready = false;
  for (const c of input.clusters) {
    // Only ready clusters have an informer; objects of other clusters are not seen.
    if (!c.ready) {
      unready = true;
      continue;
    }
    if (!present(c.object)) continue;
    if (input.targetKind === 'Namespace') {
      // IsPrimaryCluster compares UIDs; an explicit flag decides when UIDs are not given.
      const uid = uidOf(input.template);
      const primary = c.isPrimaryCluster === true || (uid !== '' && uid === uidOf(c.object));
      if (primary) continue;
    }
    setOwn(actions, c.name, 'delete');
    ops++;
  }
  if (ops > 0 || unready) return { actions, finalizersAfter: [...finalizers], outcome: 'retry' };
  return { actions, finalizersAfter: sortedDifference(finalizers, [V1ALPHA1_DELETE_FINALIZER]) };
}
