/**
 * The placement webview (bundled by webview/build.mjs into dist/webview/main.js). It receives the
 * placement model from the extension (client/placementPanel.ts) and shows it as a virtualised
 * tree in one of two views; the UI state (view, filters, expansion, selection, scroll anchor)
 * is kept by stable node ids in `vscode.setState`, so a new model (after every edit) or a reload
 * of the webview keeps it.
 */
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-toolbar-button/index.js';
import { isHostMessage, type HostMessage, type LiveState, type PlacementModel, type WebviewMessage } from './messages.ts';
import {
  buildTree,
  compileFilters,
  EMPTY_FILTERS,
  expandAll,
  filtersActive,
  findByPrefix,
  flatten,
  LIVE_LABELS,
  liveKey,
  nodeId,
  panelNotice,
  parentIndex,
  pathTo,
  reselect,
  summarize,
  type Filters,
  type Row,
  type TreeNode,
  type ViewMode,
} from './viewModel.ts';
import { createRow, ROW_HEIGHT, updateRow, type RowContext } from './render.ts';
import { VirtualList } from './virtualList.ts';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

interface ViewState {
  expanded: Record<string, boolean>;
  selected?: string;
  /** Ancestors of the selected node (to select the nearest one when it disappears). */
  selectedPath?: string[];
  selectedIndex?: number;
  /** The row at the top of the viewport and how far it is scrolled. */
  anchor?: { id: string; offset: number };
}

interface Persisted {
  v: 1;
  view: ViewMode;
  filters: Filters;
  views: Record<ViewMode, ViewState>;
}

const VIEWS: ViewMode[] = ['resources', 'clusters'];
const ROW_ID_PREFIX = 'kfp-row-';
/** Explicit expansion choices kept per view before unknown ids are dropped. */
const MAX_EXPANSION_ENTRIES = 20_000;

const vscode: VsCodeApi =
  typeof acquireVsCodeApi === 'function'
    ? acquireVsCodeApi()
    : { postMessage: () => undefined, getState: () => undefined, setState: () => undefined };

function loadState(): Persisted {
  const s = vscode.getState() as Partial<Persisted> | undefined;
  const fresh: Persisted = { v: 1, view: 'resources', filters: { ...EMPTY_FILTERS }, views: { resources: { expanded: {} }, clusters: { expanded: {} } } };
  if (!s || s.v !== 1) return fresh;
  return {
    v: 1,
    view: s.view === 'clusters' ? 'clusters' : 'resources',
    filters: { ...EMPTY_FILTERS, ...(s.filters ?? {}) },
    views: {
      resources: { expanded: {}, ...(s.views?.resources ?? {}) },
      clusters: { expanded: {}, ...(s.views?.clusters ?? {}) },
    },
  };
}

const state = loadState();
let model: PlacementModel | undefined;
let live = new Map<string, LiveState>();
let tree: TreeNode[] = [];
let rows: Row[] = [];
let selected = -1;
let errorText = '';

function post(m: WebviewMessage): void {
  vscode.postMessage(m);
}

// ---------------------------------------------------------------------------------------------
// Page skeleton (static markup only: data never goes through innerHTML)

const SKELETON = `
<div class="app">
  <vscode-tabs id="tabs" panel>
    <vscode-tab-header slot="header" data-view="resources" title="Namespaces › federated resources › clusters">Resources → Clusters</vscode-tab-header>
    <vscode-tab-header slot="header" data-view="clusters" title="Clusters › namespaces › federated resources">Clusters → Resources</vscode-tab-header>
    <div slot="addons" class="addons">
      <vscode-toolbar-button id="btn-expand" icon="expand-all" label="Expand all" title="Expand all"></vscode-toolbar-button>
      <vscode-toolbar-button id="btn-collapse" icon="collapse-all" label="Collapse all" title="Collapse all"></vscode-toolbar-button>
      <vscode-toolbar-button id="btn-refresh" icon="refresh" label="Refresh" title="Refresh"></vscode-toolbar-button>
    </div>
    <vscode-tab-panel data-view="resources" panel></vscode-tab-panel>
    <vscode-tab-panel data-view="clusters" panel></vscode-tab-panel>
  </vscode-tabs>
  <div class="content" id="content">
    <div class="filters" role="search" aria-label="Filters">
      <vscode-textfield id="f-text" class="f-text" placeholder="Name" label="Filter by name" title="Resource name: words, globs (*), !exclusions"><span slot="content-before" class="codicon codicon-search" aria-hidden="true"></span></vscode-textfield>
      <vscode-textfield id="f-namespace" placeholder="Namespace" label="Filter by namespace" title="Namespace: words, globs (*), !exclusions"></vscode-textfield>
      <vscode-textfield id="f-kind" placeholder="Kind" label="Filter by kind" title="Federated or target kind: words, globs (*), !exclusions"></vscode-textfield>
      <vscode-textfield id="f-cluster" placeholder="Cluster" label="Filter by cluster" title="Cluster name: words, globs (*), !exclusions"></vscode-textfield>
      <vscode-textfield id="f-label" placeholder="Cluster labels: region=eu" label="Filter by cluster labels" title="Label selector on the member clusters: key=value, key!=value, key, !key (comma separated)"></vscode-textfield>
      <vscode-checkbox id="f-placed" label="Placed only" title="Only the clusters each resource is placed on"></vscode-checkbox>
      <vscode-button id="f-clear" secondary icon="clear-all" title="Clear the filters">Clear</vscode-button>
    </div>
    <div class="summary" id="summary" aria-live="polite"></div>
    <div class="banner" id="banner" role="alert" hidden></div>
    <div class="tree" id="tree" role="tree" tabindex="0" aria-label="Placement of the federated resources"></div>
    <div class="empty" id="empty" hidden><span id="empty-text"></span> <vscode-button id="empty-clear" secondary hidden>Clear filters</vscode-button></div>
    <div class="legend" aria-hidden="true">
      <span><span class="codicon codicon-check placed"></span>placed</span>
      <span><span class="codicon codicon-circle-slash not-placed"></span>not placed</span>
      <span><span class="codicon codicon-debug-disconnect unready"></span>not ready</span>
      <span class="keys">Enter: open · Shift+Enter: compare · ←/→: collapse/expand</span>
    </div>
  </div>
</div>`;

const root = document.getElementById('app') ?? document.body;
root.innerHTML = SKELETON;

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const tabs = $('tabs') as HTMLElement & { selectedIndex: number };
// (vscode-tabs gives its headers and panels ids of its own: they are found by data-view.)
const panels = Object.fromEntries(VIEWS.map((v) => [v, tabs.querySelector(`vscode-tab-panel[data-view="${v}"]`) as HTMLElement])) as Record<ViewMode, HTMLElement>;
const content = $('content');
const treeEl = $('tree');
const summaryEl = $('summary');
const bannerEl = $('banner');
const emptyEl = $('empty');
const emptyText = $('empty-text');
const emptyClear = $('empty-clear');
type TextField = HTMLElement & { value: string; invalid: boolean };
const fields: Record<'text' | 'namespace' | 'kind' | 'cluster' | 'label', TextField> = {
  text: $<TextField>('f-text'),
  namespace: $<TextField>('f-namespace'),
  kind: $<TextField>('f-kind'),
  cluster: $<TextField>('f-cluster'),
  label: $<TextField>('f-label'),
};
const placedBox = $('f-placed') as HTMLElement & { checked: boolean };

const rowCtx: RowContext = { now: Date.now(), selected: -1, idPrefix: ROW_ID_PREFIX };
const list = new VirtualList<Row>({
  viewport: treeEl,
  rowHeight: ROW_HEIGHT,
  overscan: 10,
  create: createRow,
  update: (el, row, i) => updateRow(el, row, i, rowCtx),
  // The selected row may have scrolled into or out of the DOM.
  rendered: () => updateActiveDescendant(),
});

// ---------------------------------------------------------------------------------------------
// State persistence

let saveTimer: ReturnType<typeof setTimeout> | undefined;
function scheduleSave(): void {
  if (saveTimer) return;
  saveTimer = setTimeout(() => {
    saveTimer = undefined;
    saveNow();
  }, 200);
}

function saveNow(): void {
  const vs = state.views[state.view];
  if (rows.length) {
    vs.anchor = captureAnchor();
    const r = rows[selected];
    if (r) {
      vs.selected = r.id;
      vs.selectedIndex = selected;
      vs.selectedPath = ancestorsOf(selected);
    }
  }
  vscode.setState(state);
}

function ancestorsOf(i: number): string[] {
  const out: string[] = [];
  for (let j = parentIndex(rows, i); j >= 0; j = parentIndex(rows, j)) out.unshift(rows[j].id);
  return out;
}

function captureAnchor(): { id: string; offset: number } | undefined {
  if (!rows.length) return undefined;
  const top = list.scrollTop;
  const i = Math.min(rows.length - 1, Math.floor(top / ROW_HEIGHT));
  return { id: rows[i].id, offset: top - i * ROW_HEIGHT };
}

// ---------------------------------------------------------------------------------------------
// Building the rows

let rebuildFrame = 0;
function scheduleRebuild(): void {
  if (rebuildFrame) return;
  rebuildFrame = requestAnimationFrame(() => {
    rebuildFrame = 0;
    rebuild();
  });
}

/** Group rows (namespaces, clusters) opened by a new filter, at most this many. */
const OPEN_GROUPS_MAX = 500;

function rebuild(reveal?: string, openGroups = false): void {
  if (rebuildFrame) {
    cancelAnimationFrame(rebuildFrame);
    rebuildFrame = 0;
  }
  const t0 = performance.now();
  const vs = state.views[state.view];
  const hadRows = rows.length > 0;
  const anchor = hadRows ? captureAnchor() : vs.anchor;
  const oldSelectedId = hadRows ? rows[selected]?.id : vs.selected;
  const oldPath = hadRows && selected >= 0 ? ancestorsOf(selected) : (vs.selectedPath ?? []);
  const oldIndex = hadRows ? selected : (vs.selectedIndex ?? 0);

  tree = model ? buildTree({ model, view: state.view, filters: state.filters, live }) : [];
  if (openGroups) {
    // A new filter shows its matches: the namespaces and clusters holding them are opened.
    const groups: string[] = [];
    const walk = (list: TreeNode[]) => {
      for (const n of list) {
        if (n.kind === 'namespace' || n.kind === 'cluster' || n.kind === 'clusterNamespace') {
          groups.push(n.id);
          if (n.children) walk(n.children);
        }
      }
    };
    walk(tree);
    if (groups.length <= OPEN_GROUPS_MAX) for (const id of groups) vs.expanded[id] = true;
  }
  if (reveal) {
    const path = pathTo(tree, reveal);
    if (path) for (const id of path) vs.expanded[id] = true;
  }
  pruneExpansion(vs);
  rows = flatten(tree, vs.expanded);
  selected = reveal && rows.some((r) => r.id === reveal) ? rows.findIndex((r) => r.id === reveal) : reselect(rows, oldSelectedId, oldPath, oldIndex);
  rowCtx.selected = selected;
  rowCtx.now = Date.now();
  list.setItems(rows);
  if (anchor) {
    const i = rows.findIndex((r) => r.id === anchor.id);
    if (i >= 0) list.scrollTop = i * ROW_HEIGHT + anchor.offset;
  }
  if (reveal && selected >= 0) list.reveal(selected, 'center');
  updateActiveDescendant();
  renderChrome();
  const ms = performance.now() - t0;
  document.body.dataset.renderMs = ms.toFixed(1);
  document.body.dataset.rows = String(rows.length);
  window.dispatchEvent(new CustomEvent('kubefed-placement-rendered', { detail: { ms, rows: rows.length } }));
  scheduleSave();
}

function pruneExpansion(vs: ViewState): void {
  const keys = Object.keys(vs.expanded);
  if (keys.length <= MAX_EXPANSION_ENTRIES) return;
  const known = new Set<string>();
  const walk = (list: TreeNode[]) => {
    for (const n of list) {
      known.add(n.id);
      if (n.children) walk(n.children);
    }
  };
  walk(tree);
  for (const k of keys) if (!known.has(k)) delete vs.expanded[k];
}

function updateActiveDescendant(): void {
  if (selected >= 0 && list.elementAt(selected)) treeEl.setAttribute('aria-activedescendant', `${ROW_ID_PREFIX}${selected}`);
  else treeEl.removeAttribute('aria-activedescendant');
}

function renderChrome(): void {
  const notice = panelNotice(model, errorText, rows.length);
  bannerEl.hidden = !notice.banner;
  bannerEl.textContent = notice.banner;
  const f = compileFilters(state.filters);
  fields.label.invalid = !!f.labelError;
  fields.label.title = f.labelError ? `Label selector: ${f.labelError}` : 'Label selector on the member clusters: key=value, key!=value, key, !key (comma separated)';
  if (!model) {
    summaryEl.textContent = errorText ? '' : 'Computing the placement…';
    setEmpty('');
    return;
  }
  const s = summarize(model, live);
  const parts = [`${s.resources.toLocaleString()} federated resource${s.resources === 1 ? '' : 's'} × ${s.clusters.toLocaleString()} cluster${s.clusters === 1 ? '' : 's'}`, `${s.placements.toLocaleString()} placement${s.placements === 1 ? '' : 's'}`];
  if (s.errors) parts.push(`${s.errors.toLocaleString()} with errors`);
  const liveParts = (['drifted', 'missing', 'error', 'unchecked', 'in-sync'] as const).filter((k) => s.live[k]).map((k) => `${s.live[k].toLocaleString()} ${LIVE_LABELS[k]}`);
  if (liveParts.length) {
    let last = 0;
    for (const v of live.values()) if (v.at > last) last = v.at;
    parts.push(`live: ${liveParts.join(', ')} (seen ${new Date(last).toLocaleTimeString()})`);
  }
  if (filtersActive(state.filters)) parts.push(`${rows.length.toLocaleString()} rows shown`);
  summaryEl.textContent = parts.join(' · ');
  setEmpty(notice.empty, notice.clearFilters);
}

function setEmpty(text: string, clear = false): void {
  emptyEl.hidden = !text;
  emptyText.textContent = text;
  emptyClear.hidden = !clear;
  treeEl.hidden = !!text;
}

// ---------------------------------------------------------------------------------------------
// Selection, expansion, actions

function select(i: number, align: 'nearest' | 'center' = 'nearest'): void {
  if (!rows.length) return;
  const next = Math.max(0, Math.min(rows.length - 1, i));
  const old = selected;
  selected = next;
  rowCtx.selected = next;
  list.reveal(next, align);
  list.refreshIndexes([old, next]);
  updateActiveDescendant();
  scheduleSave();
}

function setExpanded(i: number, open: boolean): void {
  const r = rows[i];
  if (!r || !r.expandable || r.expanded === open) return;
  state.views[state.view].expanded[r.id] = open;
  const id = r.id;
  rows = flatten(tree, state.views[state.view].expanded);
  selected = rows.findIndex((x) => x.id === id);
  rowCtx.selected = selected;
  list.setItems(rows);
  updateActiveDescendant();
  renderChrome();
  scheduleSave();
}

function expandSiblings(i: number): void {
  const r = rows[i];
  if (!r) return;
  const vs = state.views[state.view];
  for (const x of rows) if (x.parentId === r.parentId && x.expandable) vs.expanded[x.id] = true;
  rows = flatten(tree, vs.expanded);
  list.setItems(rows);
  select(rows.findIndex((x) => x.id === r.id));
}

function setAllExpanded(open: boolean): void {
  const vs = state.views[state.view];
  vs.expanded = expandAll(tree, vs.expanded, open);
  const id = rows[selected]?.id;
  rows = flatten(tree, vs.expanded);
  list.setItems(rows);
  let i = id ? rows.findIndex((r) => r.id === id) : 0;
  if (i < 0) i = reselect(rows, id, ancestorsOf(selected), 0);
  select(i);
  renderChrome();
}

type Intent = 'default' | 'source' | 'preview' | 'diff';

function activate(i: number, intent: Intent = 'default', preserveFocus = false): void {
  const r = rows[i];
  if (!r) return;
  const n = r.node;
  if (intent === 'default' && (n.kind === 'namespace' || n.kind === 'cluster' || n.kind === 'clusterNamespace')) {
    setExpanded(i, !r.expanded);
    return;
  }
  if (n.kind === 'resource' || intent === 'source') {
    const loc = n.resource?.location;
    if (loc) post({ type: 'openSource', location: loc, resourceId: n.resource!.id, ...(preserveFocus ? { preserveFocus } : {}) });
    return;
  }
  if (n.kind === 'cell' && n.resource && n.cluster) {
    post({ type: intent === 'diff' ? 'openDiff' : 'openPreview', resourceId: n.resource.id, cluster: n.cluster, ...(preserveFocus ? { preserveFocus } : {}) });
  }
}

// ---------------------------------------------------------------------------------------------
// Events

let typed = '';
let typedTimer: ReturnType<typeof setTimeout> | undefined;

treeEl.addEventListener('keydown', (e) => {
  if (!rows.length) return;
  const i = Math.max(0, selected);
  const r = rows[i];
  let handled = true;
  switch (e.key) {
    case 'ArrowDown':
      select(i + 1);
      break;
    case 'ArrowUp':
      select(i - 1);
      break;
    case 'Home':
      select(0);
      break;
    case 'End':
      select(rows.length - 1);
      break;
    case 'PageDown':
      select(i + list.pageSize());
      break;
    case 'PageUp':
      select(i - list.pageSize());
      break;
    case 'ArrowRight':
      if (r.expandable && !r.expanded) setExpanded(i, true);
      else if (r.expandable) select(i + 1);
      break;
    case 'ArrowLeft':
      if (r.expandable && r.expanded) setExpanded(i, false);
      else if (parentIndex(rows, i) >= 0) select(parentIndex(rows, i));
      break;
    case 'Enter':
      activate(i, e.shiftKey ? 'diff' : e.altKey ? 'source' : 'default');
      break;
    case ' ':
      if (typed) typeAhead(' ');
      else if (r.expandable) setExpanded(i, !r.expanded);
      else activate(i, 'default', true);
      break;
    case '*':
      expandSiblings(i);
      break;
    default:
      if (e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey) typeAhead(e.key);
      else handled = false;
  }
  if (handled) {
    e.preventDefault();
    e.stopPropagation();
  }
});

function typeAhead(ch: string): void {
  typed += ch;
  clearTimeout(typedTimer);
  typedTimer = setTimeout(() => (typed = ''), 700);
  // A repeated single letter cycles through the matches; otherwise search from the current row.
  const from = typed.length === 1 ? selected : selected - 1;
  const j = findByPrefix(rows, typed, from);
  if (j >= 0) select(j);
}

treeEl.addEventListener('click', (e) => {
  const i = list.indexOf(e.target);
  if (i < 0) return;
  const target = e.target as HTMLElement;
  select(i);
  treeEl.focus({ preventScroll: true });
  const act = target.closest<HTMLElement>('[data-action]')?.dataset.action;
  if (act === 'openSource') return activate(i, 'source', true);
  if (act === 'openPreview') return activate(i, 'preview', true);
  if (act === 'openDiff') return activate(i, 'diff', true);
  if (target.classList.contains('twisty')) return setExpanded(i, !rows[i].expanded);
  const dot = target.closest<HTMLElement>('.dot');
  const res = rows[i].node.resource;
  if (dot?.dataset.cluster && res) {
    post({ type: 'openPreview', resourceId: res.id, cluster: dot.dataset.cluster, preserveFocus: true });
    return;
  }
  activate(i, 'default', true);
});

treeEl.addEventListener('dblclick', (e) => {
  const i = list.indexOf(e.target);
  if (i >= 0 && rows[i]?.node.kind === 'resource') setExpanded(i, !rows[i].expanded);
});

treeEl.addEventListener('focus', () => {
  if (selected < 0 && rows.length) select(0);
});

treeEl.addEventListener('scroll', () => {
  scheduleSave();
}, { passive: true });

let filterTimer: ReturnType<typeof setTimeout> | undefined;
function readFilters(): void {
  const before = state.filters;
  state.filters = {
    text: fields.text.value ?? '',
    namespace: fields.namespace.value ?? '',
    kind: fields.kind.value ?? '',
    cluster: fields.cluster.value ?? '',
    label: fields.label.value ?? '',
    placedOnly: !!placedBox.checked,
  };
  const f = state.filters;
  const narrowed = (['text', 'namespace', 'kind', 'cluster', 'label'] as const).some((k) => f[k].trim() && f[k] !== before[k]);
  rebuild(undefined, narrowed);
}
for (const f of Object.values(fields)) {
  f.addEventListener('input', () => {
    clearTimeout(filterTimer);
    filterTimer = setTimeout(readFilters, 120);
  });
  f.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === 'ArrowDown') {
      e.preventDefault();
      clearTimeout(filterTimer);
      readFilters();
      treeEl.focus();
    } else if (e.key === 'Escape' && f.value) {
      e.stopPropagation();
      f.value = '';
      readFilters();
    }
  });
}
placedBox.addEventListener('change', readFilters);

function clearFilters(): void {
  for (const f of Object.values(fields)) f.value = '';
  placedBox.checked = false;
  readFilters();
}
$('f-clear').addEventListener('click', clearFilters);
emptyClear.addEventListener('click', clearFilters);
$('btn-expand').addEventListener('click', () => setAllExpanded(true));
$('btn-collapse').addEventListener('click', () => setAllExpanded(false));
$('btn-refresh').addEventListener('click', () => post({ type: 'refresh' }));

tabs.addEventListener('vsc-tabs-select', (e) => setView(VIEWS[(e as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex] ?? 'resources'));

function setView(v: ViewMode, reveal?: string): void {
  if (v !== state.view) {
    saveNow();
    state.view = v;
    rows = [];
    selected = -1;
    tabs.selectedIndex = VIEWS.indexOf(v);
  }
  panels[v].append(content);
  rebuild(reveal);
}

window.addEventListener('message', (e: MessageEvent) => {
  const m = e.data as unknown;
  if (!isHostMessage(m)) return;
  onHostMessage(m);
});

function onHostMessage(m: HostMessage): void {
  switch (m.type) {
    case 'model': {
      model = m.model;
      errorText = '';
      if (m.focus) {
        const r = model.resources.find((x) => x.id === m.focus);
        if (r) {
          setView('resources', nodeId.resource(r.id));
          treeEl.focus({ preventScroll: true });
          return;
        }
      }
      rebuild();
      break;
    }
    case 'liveState': {
      if (m.replace) live = new Map();
      for (const s of m.states) if (s && typeof s.resourceId === 'string' && typeof s.cluster === 'string') live.set(liveKey(s.resourceId, s.cluster), s);
      scheduleRebuild();
      break;
    }
    case 'error':
      errorText = m.message;
      renderChrome();
      break;
  }
}

// The relative times ("2 min ago") of the live states.
setInterval(() => {
  if (!live.size) return;
  rowCtx.now = Date.now();
  list.refresh();
}, 30_000);

window.addEventListener('beforeunload', saveNow);

// Start: restore the UI, then ask the extension for the model.
fields.text.value = state.filters.text;
fields.namespace.value = state.filters.namespace;
fields.kind.value = state.filters.kind;
fields.cluster.value = state.filters.cluster;
fields.label.value = state.filters.label;
placedBox.checked = state.filters.placedOnly;
tabs.selectedIndex = VIEWS.indexOf(state.view);
panels[state.view].append(content);
renderChrome();
post({ type: 'ready' });
