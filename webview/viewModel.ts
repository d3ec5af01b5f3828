/**
 * The placement view's model: pure functions (no DOM) that turn a `kubefed/placement` answer, the
 * live states Compare/Propagate saw, the filters and the expansion state into the rows of one of
 * two trees:
 *   resources → clusters   namespace › federated resource › one cell per member cluster
 *   clusters → resources   member cluster › namespace › one cell per federated resource
 * Every node has a stable id (built from namespace, resource id and cluster name), so expansion,
 * selection and scroll position survive a new model.
 */
import type { ClusterReason, LiveState, LiveStateKind, PlacementModel, PlacementResource } from './messages.ts';
import type { PlacementWhy } from '../server/engine/placement.ts';

/** A member cluster as the model has it (labels, readiness, source). */
type ModelCluster = NonNullable<PlacementModel['clusterInfo']>[number];

export type ViewMode = 'resources' | 'clusters';

export interface Filters {
  /** Resource name (also matches `namespace/name`). */
  text: string;
  namespace: string;
  /** Federated kind or target kind. */
  kind: string;
  cluster: string;
  /** A label selector on the member clusters' labels (`region=eu,tier!=dev,gpu,!edge`). */
  label: string;
  /** Only cells where the resource is placed on the cluster. */
  placedOnly: boolean;
}

export const EMPTY_FILTERS: Filters = Object.freeze({ text: '', namespace: '', kind: '', cluster: '', label: '', placedOnly: false });

export type NodeKind = 'namespace' | 'resource' | 'cell' | 'cluster' | 'clusterNamespace';

/** Why a cluster is in or out, in the few categories the view distinguishes. */
export type ReasonCategory = 'list' | 'selector' | 'namespace' | 'not-ready' | 'none' | 'other';

export interface Cell {
  resourceId: string;
  cluster: string;
  placed: boolean;
  /** The engine's reason; undefined when the server gave none (the placement failed). */
  why?: PlacementWhy;
  category: ReasonCategory;
  /** The server's sentence. */
  reason: string;
  /** Fields changed by overrides for this cluster (undefined: not known). */
  overrides?: number;
  /** Replicas the ReplicaSchedulingPreference gives this cluster. */
  replicas?: number;
  live?: LiveState;
  /** False when the cluster is known not to be ready. */
  clusterReady?: boolean;
  /** What KubeFed itself reports for this cluster in the watched host ('' = propagated), and since when. */
  kubefed?: { status: string; since?: string };
}

export interface Tally {
  /** Visible cells below the node. */
  cells: number;
  /** Of them, where the resource is placed. */
  placed: number;
  live: Record<LiveStateKind, number>;
}

export interface TreeNode {
  id: string;
  kind: NodeKind;
  label: string;
  children?: TreeNode[];
  namespace?: string;
  cluster?: string;
  resource?: PlacementResource;
  cell?: Cell;
  clusterInfo?: ModelCluster;
  tally?: Tally;
}

export interface Row {
  id: string;
  node: TreeNode;
  /** 1-based (aria-level). */
  level: number;
  parentId?: string;
  expandable: boolean;
  expanded: boolean;
  /** 1-based position among its siblings (aria-posinset) and their number (aria-setsize). */
  posinset: number;
  setsize: number;
}

/** Expansion state: explicit choices by node id; nodes without one use the default of their kind. */
export type Expansion = Readonly<Record<string, boolean>>;

const SEP = '\u001f';

export const nodeId = {
  namespace: (ns: string) => `ns${SEP}${ns}`,
  resource: (resourceId: string) => `r${SEP}${resourceId}`,
  cell: (resourceId: string, cluster: string) => `c${SEP}${resourceId}${SEP}${cluster}`,
  cluster: (cluster: string) => `k${SEP}${cluster}`,
  clusterNamespace: (cluster: string, ns: string) => `kn${SEP}${cluster}${SEP}${ns}`,
  clusterCell: (cluster: string, resourceId: string) => `kc${SEP}${cluster}${SEP}${resourceId}`,
};

export function liveKey(resourceId: string, cluster: string): string {
  return `${resourceId}${SEP}${cluster}`;
}

export const CLUSTER_SCOPED_LABEL = '(cluster-scoped)';

export function defaultExpanded(kind: NodeKind): boolean {
  return kind === 'namespace' || kind === 'cluster';
}

export function isExpanded(node: TreeNode, expansion: Expansion): boolean {
  const v = expansion[node.id];
  return v === undefined ? defaultExpanded(node.kind) : v;
}

// ---------------------------------------------------------------------------------------------
// Text helpers

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** Text for HTML source (element content or a quoted attribute value). */
export function escapeHtml(s: string): string {
  return String(s).replace(/[&<>"'`]/g, (c) => HTML_ESCAPES[c]);
}

// C0/C1 controls, and the bidirectional overrides/isolates that could make a name read differently.
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/**
 * A resource-provided string as it is shown (always as text, never as markup): control and
 * bidirectional formatting characters made visible as `\u{…}`, line breaks and tabs as spaces,
 * cut to `max` characters.
 */
export function displayText(s: unknown, max = 300): string {
  let t = typeof s === 'string' ? s : s === undefined || s === null ? '' : String(s);
  t = t.replace(/[\r\n\t]+/g, ' ').replace(INVISIBLE, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
  if (t.length > max) t = `${t.slice(0, Math.max(0, max - 1))}…`;
  return t;
}

/** "just now", "42 s ago", "5 min ago", "3 h ago", "2 d ago" (future times: "just now"). */
export function relativeTime(at: number, now: number): string {
  const s = Math.round((now - at) / 1000);
  if (s < 5) return 'just now';
  if (s < 60) return `${s} s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.floor(h / 24)} d ago`;
}

export const LIVE_LABELS: Record<LiveStateKind, string> = {
  'in-sync': 'in sync',
  drifted: 'drifted',
  missing: 'missing',
  error: 'error',
  unchecked: 'not checked',
};

// ---------------------------------------------------------------------------------------------
// Filters

function globToRegExp(glob: string): RegExp {
  const src = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${src}$`, 'i');
}

/**
 * A matcher for a filter field: terms separated by commas or spaces; a value matches when it
 * matches one of the positive terms (or there are none) and none of the `!`-terms. A term with `*`
 * or `?` is a glob over the whole value, otherwise a substring; case does not matter.
 */
export function termMatcher(spec: string): (value: string) => boolean {
  const terms = spec
    .split(/[\s,]+/)
    .map((t) => t.trim())
    .filter(Boolean);
  if (!terms.length) return () => true;
  const one = (t: string): ((v: string) => boolean) => {
    if (/[*?]/.test(t)) {
      const re = globToRegExp(t);
      return (v) => re.test(v);
    }
    const lower = t.toLowerCase();
    return (v) => v.toLowerCase().includes(lower);
  };
  const pos = terms.filter((t) => !t.startsWith('!')).map(one);
  const neg = terms
    .filter((t) => t.startsWith('!') && t.length > 1)
    .map((t) => one(t.slice(1)));
  return (v) => (!pos.length || pos.some((m) => m(v))) && !neg.some((m) => m(v));
}

export type LabelRequirement =
  | { op: 'eq'; key: string; value: string }
  | { op: 'neq'; key: string; value: string }
  | { op: 'exists'; key: string }
  | { op: 'notExists'; key: string };

const LABEL_KEY = /^(?:[a-z0-9](?:[-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

/** Parses an equality-based label selector (`a=b, c!=d, e, !f`; `==` means `=`). */
export function parseLabelSelector(spec: string): { requirements: LabelRequirement[]; error?: string } {
  const requirements: LabelRequirement[] = [];
  for (const raw of spec.split(',')) {
    const part = raw.trim();
    if (!part) continue;
    let m: RegExpMatchArray | null;
    if ((m = part.match(/^([^=!\s]+)\s*!=\s*(.*)$/))) requirements.push({ op: 'neq', key: m[1], value: m[2].trim() });
    else if ((m = part.match(/^([^=!\s]+)\s*==?\s*(.*)$/))) requirements.push({ op: 'eq', key: m[1], value: m[2].trim() });
    else if ((m = part.match(/^!\s*([^=!\s]+)$/))) requirements.push({ op: 'notExists', key: m[1] });
    else if ((m = part.match(/^([^=!\s]+)$/))) requirements.push({ op: 'exists', key: m[1] });
    else return { requirements: [], error: `cannot read "${part}"` };
    const r = requirements[requirements.length - 1];
    if (!LABEL_KEY.test(r.key)) return { requirements: [], error: `"${r.key}" is not a label key` };
    if ((r.op === 'eq' || r.op === 'neq') && !LABEL_VALUE.test(r.value)) return { requirements: [], error: `"${r.value}" is not a label value` };
  }
  return { requirements };
}

export function labelsMatch(labels: Readonly<Record<string, string>> | undefined, reqs: readonly LabelRequirement[]): boolean {
  const l = labels ?? {};
  const has = (k: string) => Object.prototype.hasOwnProperty.call(l, k);
  return reqs.every((r) => {
    switch (r.op) {
      case 'eq':
        return has(r.key) && l[r.key] === r.value;
      case 'neq':
        return !has(r.key) || l[r.key] !== r.value;
      case 'exists':
        return has(r.key);
      case 'notExists':
        return !has(r.key);
    }
  });
}

export function filtersActive(f: Filters): boolean {
  return !!(f.text.trim() || f.namespace.trim() || f.kind.trim() || f.cluster.trim() || f.label.trim() || f.placedOnly);
}

interface CompiledFilters {
  resource: (r: PlacementResource) => boolean;
  cluster: (name: string, info: ModelCluster | undefined) => boolean;
  placedOnly: boolean;
  /** A filter on resources is set (name, namespace or kind). */
  resourceFilter: boolean;
  /** A filter on clusters or cells is set (cluster, label, placed only). */
  cellFilter: boolean;
  labelError?: string;
}

export function compileFilters(f: Filters): CompiledFilters {
  const text = termMatcher(f.text);
  const ns = termMatcher(f.namespace);
  const kind = termMatcher(f.kind);
  const cl = termMatcher(f.cluster);
  const sel = parseLabelSelector(f.label);
  return {
    resource: (r) => (text(r.name) || text(`${r.namespace}/${r.name}`)) && ns(r.namespace) && (kind(r.kind) || kind(r.targetKind)),
    // An unreadable selector filters nothing (the field shows the error).
    cluster: (name, info) => cl(name) && (!!sel.error || labelsMatch(info?.labels, sel.requirements)),
    placedOnly: f.placedOnly,
    resourceFilter: !!(f.text.trim() || f.namespace.trim() || f.kind.trim()),
    cellFilter: !!(f.cluster.trim() || (f.label.trim() && !sel.error) || f.placedOnly),
    labelError: sel.error,
  };
}

// ---------------------------------------------------------------------------------------------
// Cells

export function reasonCategory(why: PlacementWhy | undefined, placed: boolean): ReasonCategory {
  switch (why) {
    case 'explicit-list':
    case 'not-in-list':
    case 'empty-list':
    case 'cluster-names':
    case 'not-in-cluster-names':
      return 'list';
    case 'selector-match':
    case 'selector-mismatch':
    case 'selector-all':
      return 'selector';
    case 'excluded-by-namespace':
    case 'namespace-not-federated':
    case 'namespace-without-placement':
      return 'namespace';
    case 'not-ready':
      return 'not-ready';
    case 'no-placement':
      return 'none';
    default:
      return placed ? 'other' : 'none';
  }
}

/** Short words for a cell: why the cluster is in or out. */
export function reasonShort(cell: Pick<Cell, 'placed' | 'category' | 'why'>): string {
  const { placed, category, why } = cell;
  switch (category) {
    case 'list':
      return placed ? 'listed' : why === 'empty-list' ? 'empty list' : 'not listed';
    case 'selector':
      return placed ? (why === 'selector-all' ? 'selector: all' : 'selector match') : 'selector mismatch';
    case 'namespace':
      return placed ? 'namespace placement' : why === 'namespace-not-federated' ? 'namespace not federated' : 'excluded by namespace';
    case 'not-ready':
      return 'not ready';
    case 'none':
      return 'no placement';
    default:
      return placed ? 'placed' : 'not placed';
  }
}

/** Every cluster of the model: the inventory's, then any other a resource is placed on. */
export function allClusters(model: PlacementModel): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const c of model.clusters) {
    if (typeof c === 'string' && !seen.has(c)) {
      seen.add(c);
      out.push(c);
    }
  }
  const extra = new Set<string>();
  for (const r of model.resources) for (const c of r.selected ?? []) if (!seen.has(c)) extra.add(c);
  return out.concat([...extra].sort());
}

export interface CellContext {
  live?: ReadonlyMap<string, LiveState>;
  clusterInfo?: ReadonlyMap<string, ModelCluster>;
}

export function cellOf(r: PlacementResource, cluster: string, ctx: CellContext = {}): Cell {
  const placed = (r.selected ?? []).includes(cluster);
  const reason: ClusterReason | undefined = r.reasons?.[cluster];
  const why = reason?.why;
  const schedule = r.rsp?.schedule;
  const replicas = schedule && Object.prototype.hasOwnProperty.call(schedule, cluster) ? schedule[cluster] : undefined;
  const ov = r.overrides?.[cluster];
  const info = ctx.clusterInfo?.get(cluster);
  const live = ctx.live?.get(liveKey(r.id, cluster));
  return {
    resourceId: r.id,
    cluster,
    placed,
    ...(why ? { why } : {}),
    category: reasonCategory(why, placed),
    reason: reason?.text || (placed ? 'placed' : 'not placed'),
    ...(typeof ov === 'number' ? { overrides: ov } : {}),
    ...(typeof replicas === 'number' ? { replicas } : {}),
    ...(live ? { live } : {}),
    ...(info && info.ready !== undefined ? { clusterReady: info.ready } : {}),
    ...(r.host && Object.prototype.hasOwnProperty.call(r.host.clusters, cluster) ? { kubefed: { status: r.host.clusters[cluster]!, ...(r.host.since ? { since: r.host.since } : {}) } } : {}),
  };
}

function emptyTally(): Tally {
  return { cells: 0, placed: 0, live: { 'in-sync': 0, drifted: 0, missing: 0, error: 0, unchecked: 0 } };
}

function addCell(t: Tally, c: Cell): void {
  t.cells++;
  if (c.placed) t.placed++;
  if (c.live) t.live[c.live.state]++;
}

function addTally(t: Tally, u: Tally): void {
  t.cells += u.cells;
  t.placed += u.placed;
  for (const k of Object.keys(u.live) as LiveStateKind[]) t.live[k] += u.live[k];
}

function compareResources(a: PlacementResource, b: PlacementResource): number {
  return a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function compareNamespaces(a: string, b: string): number {
  if (a === b) return 0;
  if (a === '') return -1;
  if (b === '') return 1;
  return a.localeCompare(b);
}

export function resourceLabel(r: Pick<PlacementResource, 'kind' | 'name'>): string {
  return `${r.kind} ${r.name}`;
}

// ---------------------------------------------------------------------------------------------
// What the panel says around the tree

/** The panel's words when the placement could not be computed: the server's error and what to do next. */
export function placementErrorText(message: string): string {
  const m = message.trim() || 'no reason given';
  return `The placement could not be computed: ${m}\nSee the KubeFed output (KubeFed: Show Output) for details, then Refresh, or run KubeFed: Restart Language Server.`;
}

export interface PanelNotice {
  /** The error banner ('' = none). */
  banner: string;
  /** The text shown instead of the tree ('' = the tree). */
  empty: string;
  /** The empty text offers to clear the filters. */
  clearFilters: boolean;
}

/**
 * The banner and the empty-state text for a model (undefined: none yet), the last error ('' =
 * none) and the number of rows the filters leave. While an error stands, the panel never says
 * "No federated resources": an earlier placement stays visible under the banner, marked as such.
 */
export function panelNotice(model: PlacementModel | undefined, error: string, rows: number): PanelNotice {
  const stale = !!error && !!model?.resources.length;
  const banner = stale ? `${error}\nThe view shows the last placement that was computed.` : error;
  if (!model || (error && !model.resources.length)) return { banner, empty: '', clearFilters: false };
  if (!model.resources.length) return { banner, empty: 'No federated resources in the workspace.', clearFilters: false };
  if (!rows) return { banner, empty: 'Nothing matches the filters.', clearFilters: true };
  return { banner, empty: '', clearFilters: false };
}

// ---------------------------------------------------------------------------------------------
// The two trees

export interface BuildInput {
  model: PlacementModel;
  view: ViewMode;
  filters?: Filters;
  live?: ReadonlyMap<string, LiveState>;
}

/** The (filtered) tree of one view. */
export function buildTree(input: BuildInput): TreeNode[] {
  const { model, view } = input;
  const f = compileFilters(input.filters ?? EMPTY_FILTERS);
  const infos = new Map<string, ModelCluster>();
  for (const c of model.clusterInfo ?? []) if (c && typeof c.name === 'string') infos.set(c.name, c);
  const ctx: CellContext = { live: input.live, clusterInfo: infos };
  const clusters = allClusters(model).filter((c) => f.cluster(c, infos.get(c)));
  const resources = model.resources.filter(f.resource);
  return view === 'resources' ? resourcesTree(resources, clusters, f, ctx) : clustersTree(resources, clusters, f, ctx, infos);
}

function resourcesTree(resources: PlacementResource[], clusters: string[], f: CompiledFilters, ctx: CellContext): TreeNode[] {
  const byNs = new Map<string, TreeNode[]>();
  for (const r of [...resources].sort(compareResources)) {
    const tally = emptyTally();
    const children: TreeNode[] = [];
    for (const c of clusters) {
      const cell = cellOf(r, c, ctx);
      if (f.placedOnly && !cell.placed) continue;
      addCell(tally, cell);
      children.push({ id: nodeId.cell(r.id, c), kind: 'cell', label: c, cluster: c, namespace: r.namespace, resource: r, cell, clusterInfo: ctx.clusterInfo?.get(c) });
    }
    if (!children.length && f.cellFilter) continue;
    const node: TreeNode = { id: nodeId.resource(r.id), kind: 'resource', label: resourceLabel(r), namespace: r.namespace, resource: r, children, tally };
    const list = byNs.get(r.namespace);
    if (list) list.push(node);
    else byNs.set(r.namespace, [node]);
  }
  return [...byNs.keys()].sort(compareNamespaces).map((ns) => {
    const children = byNs.get(ns)!;
    const tally = emptyTally();
    for (const c of children) addTally(tally, c.tally!);
    return { id: nodeId.namespace(ns), kind: 'namespace', label: ns || CLUSTER_SCOPED_LABEL, namespace: ns, children, tally };
  });
}

function clustersTree(resources: PlacementResource[], clusters: string[], f: CompiledFilters, ctx: CellContext, infos: Map<string, ModelCluster>): TreeNode[] {
  const sorted = [...resources].sort((a, b) => compareNamespaces(a.namespace, b.namespace) || compareResources(a, b));
  const out: TreeNode[] = [];
  for (const c of clusters) {
    const tally = emptyTally();
    const groups: TreeNode[] = [];
    let group: TreeNode | undefined;
    for (const r of sorted) {
      const cell = cellOf(r, c, ctx);
      if (f.placedOnly && !cell.placed) continue;
      if (!group || group.namespace !== r.namespace) {
        group = { id: nodeId.clusterNamespace(c, r.namespace), kind: 'clusterNamespace', label: r.namespace || CLUSTER_SCOPED_LABEL, cluster: c, namespace: r.namespace, children: [], tally: emptyTally() };
        groups.push(group);
      }
      addCell(group.tally!, cell);
      addCell(tally, cell);
      group.children!.push({ id: nodeId.clusterCell(c, r.id), kind: 'cell', label: resourceLabel(r), cluster: c, namespace: r.namespace, resource: r, cell, clusterInfo: infos.get(c) });
    }
    if (!groups.length && (f.resourceFilter || f.placedOnly)) continue;
    out.push({ id: nodeId.cluster(c), kind: 'cluster', label: c, cluster: c, clusterInfo: infos.get(c), children: groups, tally });
  }
  return out;
}

/** The visible rows: depth first, children only under expanded nodes. */
export function flatten(nodes: readonly TreeNode[], expansion: Expansion = {}): Row[] {
  const rows: Row[] = [];
  const walk = (list: readonly TreeNode[], level: number, parentId: string | undefined) => {
    const n = list.length;
    for (let i = 0; i < n; i++) {
      const node = list[i];
      const expandable = !!node.children && node.children.length > 0;
      const expanded = expandable && isExpanded(node, expansion);
      rows.push({ id: node.id, node, level, parentId, expandable, expanded, posinset: i + 1, setsize: n });
      if (expanded) walk(node.children!, level + 1, node.id);
    }
  };
  walk(nodes, 1, undefined);
  return rows;
}

/** Every node id of a tree (for "expand all"). */
export function expandableIds(nodes: readonly TreeNode[]): string[] {
  const out: string[] = [];
  const walk = (list: readonly TreeNode[]) => {
    for (const n of list) {
      if (n.children?.length) {
        out.push(n.id);
        walk(n.children);
      }
    }
  };
  walk(nodes);
  return out;
}

/** The expansion with every expandable node of the tree opened (or closed). */
export function expandAll(nodes: readonly TreeNode[], expansion: Expansion, open: boolean): Record<string, boolean> {
  const next: Record<string, boolean> = { ...expansion };
  for (const id of expandableIds(nodes)) next[id] = open;
  return next;
}

/** The ids of the nodes on the way to a node (to reveal it), or undefined when it is not in the tree. */
export function pathTo(nodes: readonly TreeNode[], id: string): string[] | undefined {
  const walk = (list: readonly TreeNode[], path: string[]): string[] | undefined => {
    for (const n of list) {
      if (n.id === id) return path;
      if (n.children?.length) {
        const p = walk(n.children, [...path, n.id]);
        if (p) return p;
      }
    }
    return undefined;
  };
  return walk(nodes, []);
}

// ---------------------------------------------------------------------------------------------
// Navigation (on the flattened rows)

export function parentIndex(rows: readonly Row[], i: number): number {
  const p = rows[i]?.parentId;
  if (p === undefined) return -1;
  for (let j = i - 1; j >= 0; j--) if (rows[j].id === p) return j;
  return -1;
}

/** Type-ahead: the next row (after `from`, wrapping) whose label starts with `prefix`. */
export function findByPrefix(rows: readonly Row[], prefix: string, from: number): number {
  const p = prefix.toLowerCase();
  if (!p || !rows.length) return -1;
  const n = rows.length;
  for (let k = 1; k <= n; k++) {
    const j = (((from + k) % n) + n) % n;
    const r = rows[j];
    const { node } = r;
    // Resources are also found by name (their label starts with the kind).
    const byName = node.resource && (node.kind === 'resource' || node.label !== node.cluster) ? node.resource.name : undefined;
    if (node.label.toLowerCase().startsWith(p) || (byName !== undefined && byName.toLowerCase().startsWith(p))) return j;
  }
  return -1;
}

/**
 * The row to select after the rows changed: the same id when it is still there, else its parent's
 * (or grand-parent's), else the row at the old position.
 */
export function reselect(rows: readonly Row[], id: string | undefined, ancestors: readonly string[], oldIndex: number): number {
  if (!rows.length) return -1;
  if (id !== undefined) {
    const i = rows.findIndex((r) => r.id === id);
    if (i >= 0) return i;
    for (let k = ancestors.length - 1; k >= 0; k--) {
      const j = rows.findIndex((r) => r.id === ancestors[k]);
      if (j >= 0) return j;
    }
  }
  return Math.max(0, Math.min(rows.length - 1, oldIndex));
}

// ---------------------------------------------------------------------------------------------
// Summary

export interface Summary {
  resources: number;
  clusters: number;
  placements: number;
  errors: number;
  live: Record<LiveStateKind, number>;
}

export function summarize(model: PlacementModel, live?: ReadonlyMap<string, LiveState>): Summary {
  const clusters = allClusters(model);
  const ids = new Set(model.resources.map((r) => r.id));
  const liveCounts: Record<LiveStateKind, number> = { 'in-sync': 0, drifted: 0, missing: 0, error: 0, unchecked: 0 };
  for (const s of live?.values() ?? []) if (ids.has(s.resourceId)) liveCounts[s.state]++;
  return {
    resources: model.resources.length,
    clusters: clusters.length,
    placements: model.resources.reduce((n, r) => n + (r.selected?.length ?? 0), 0),
    errors: model.resources.filter((r) => r.error).length,
    live: liveCounts,
  };
}
