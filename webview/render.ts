/**
 * DOM of the tree rows. Every text that comes from a resource goes in with `textContent` or a
 * property (`title`, `dataset`), never as markup: a resource named `<img src=x onerror=…>` is text.
 *
 * A row (pooled by the virtual list, so one element shows many rows over time):
 *   <div role="treeitem" class="row" data-kind data-id data-resource-id? data-cluster? data-namespace?
 *        aria-level aria-posinset aria-setsize aria-expanded? aria-selected>
 *     <span class="indent"> <span class="twisty codicon"> <span class="icon codicon">
 *     <span class="label"> <span class="chip"> <span class="desc"> <span class="badges">
 *     <span class="strip">  (resource rows: one dot per cluster)
 *     <span class="actions"> (buttons with data-action: openSource | openPreview | openDiff)
 */
import type { LiveStateKind } from './messages.ts';
import { displayText, LIVE_LABELS, reasonShort, relativeTime, type Cell, type Row, type Tally } from './viewModel.ts';

export const ROW_HEIGHT = 22;
/** At most this many cluster dots per resource row. */
const STRIP_MAX = 40;

export interface RowContext {
  now: number;
  /** The row index that is selected (the tree's active descendant). */
  selected: number;
  /** The row's DOM id prefix (aria-activedescendant points to `${idPrefix}${index}`). */
  idPrefix: string;
}

interface RowParts {
  indent: HTMLElement;
  twisty: HTMLElement;
  icon: HTMLElement;
  label: HTMLElement;
  chip: HTMLElement;
  desc: HTMLElement;
  badges: HTMLElement;
  strip: HTMLElement;
  actions: HTMLElement;
}

const parts = new WeakMap<HTMLElement, RowParts>();

function span(cls: string): HTMLElement {
  const s = document.createElement('span');
  s.className = cls;
  return s;
}

export function createRow(): HTMLElement {
  const el = document.createElement('div');
  el.setAttribute('role', 'treeitem');
  el.className = 'row';
  const p: RowParts = {
    indent: span('indent'),
    twisty: span('twisty codicon'),
    icon: span('icon codicon'),
    label: span('label'),
    chip: span('chip'),
    desc: span('desc'),
    badges: span('badges'),
    strip: span('strip'),
    actions: span('actions'),
  };
  p.indent.setAttribute('aria-hidden', 'true');
  p.twisty.setAttribute('aria-hidden', 'true');
  p.icon.setAttribute('aria-hidden', 'true');
  p.strip.setAttribute('aria-hidden', 'true');
  el.append(p.indent, p.twisty, p.icon, p.label, p.chip, p.desc, p.badges, p.strip, p.actions);
  parts.set(el, p);
  return el;
}

function setData(el: HTMLElement, key: string, value: string | undefined): void {
  if (value === undefined) delete el.dataset[key];
  else el.dataset[key] = value;
}

function setText(el: HTMLElement, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

function setIcon(el: HTMLElement, base: string, icon: string | undefined): void {
  const cls = icon ? `${base} codicon codicon-${icon}` : base;
  if (el.className !== cls) el.className = cls;
}

function badge(cls: string, text: string, title: string, icon?: string): HTMLElement {
  const b = span(`badge ${cls}`);
  if (icon) {
    const i = span(`codicon codicon-${icon}`);
    i.setAttribute('aria-hidden', 'true');
    b.append(i);
  }
  if (text) b.append(document.createTextNode(text));
  b.title = title;
  return b;
}

function action(name: 'openSource' | 'openPreview' | 'openDiff', icon: string, title: string): HTMLElement {
  const a = span(`action codicon codicon-${icon}`);
  a.dataset.action = name;
  a.title = title;
  a.setAttribute('aria-hidden', 'true');
  return a;
}

export const LIVE_ICONS: Record<LiveStateKind, string> = {
  'in-sync': 'pass',
  drifted: 'diff-modified',
  missing: 'question',
  error: 'error',
  unchecked: 'circle-slash',
};

function formatTime(at: number): string {
  const d = new Date(at);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleTimeString();
}

function liveBadge(cell: Cell, now: number): HTMLElement | undefined {
  const l = cell.live;
  if (!l) return undefined;
  // The run's own words (`would create`, `unexpected`, …); the state's for an older message.
  const word = typeof l.outcome === 'string' && l.outcome ? displayText(l.outcome, 40) : LIVE_LABELS[l.state];
  const time = formatTime(l.at);
  const rel = relativeTime(l.at, now);
  const title = `${word} (${LIVE_LABELS[l.state]}) — seen ${time} (${rel})${l.source ? ` by ${l.source === 'compare' ? 'Compare' : 'Propagate'}` : ''}${l.detail ? `\n${displayText(l.detail, 2000)}` : ''}`;
  const b = badge(`live live-${l.state}`, `${word} · ${rel}`, title, LIVE_ICONS[l.state]);
  b.dataset.live = l.state;
  return b;
}

/** KubeFed's own status of the cell, from the watched host. */
function kubefedBadge(cell: Cell, now: number): HTMLElement | undefined {
  const k = cell.kubefed;
  if (!k) return undefined;
  const ok = k.status === '';
  const word = ok ? 'KubeFed: propagated' : `KubeFed: ${displayText(k.status, 40)}`;
  const since = k.since ? Date.parse(k.since) : NaN;
  const when = Number.isNaN(since) ? '' : ` — Propagation last changed ${formatTime(since)} (${relativeTime(since, now)})`;
  const b = badge(`kubefed kubefed-${ok ? 'ok' : 'failed'}`, word, `What KubeFed reports for ${displayText(cell.cluster)} in the host${when}`, ok ? 'cloud' : 'warning');
  b.dataset.kubefed = ok ? 'ok' : k.status;
  return b;
}

function tallyBadges(t: Tally | undefined): HTMLElement[] {
  if (!t) return [];
  const out: HTMLElement[] = [];
  for (const k of ['drifted', 'missing', 'error', 'unchecked', 'in-sync'] as LiveStateKind[]) {
    const n = t.live[k];
    if (n) out.push(badge(`live live-${k}`, String(n), `${n} ${LIVE_LABELS[k]}`, LIVE_ICONS[k]));
  }
  return out;
}

function cellIcon(cell: Cell): string {
  if (cell.clusterReady === false || cell.category === 'not-ready') return 'debug-disconnect';
  return cell.placed ? 'check' : 'circle-slash';
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}

/** Fills a pooled row element with one row. */
export function updateRow(el: HTMLElement, row: Row, index: number, ctx: RowContext): void {
  const p = parts.get(el)!;
  const { node } = row;
  el.id = `${ctx.idPrefix}${index}`;
  el.dataset.index = String(index);
  el.dataset.kind = node.kind;
  el.dataset.id = node.id;
  setData(el, 'resourceId', node.resource?.id);
  setData(el, 'cluster', node.cluster);
  setData(el, 'namespace', node.namespace);
  el.setAttribute('aria-level', String(row.level));
  el.setAttribute('aria-posinset', String(row.posinset));
  el.setAttribute('aria-setsize', String(row.setsize));
  if (row.expandable) el.setAttribute('aria-expanded', String(row.expanded));
  else el.removeAttribute('aria-expanded');
  const selected = index === ctx.selected;
  el.setAttribute('aria-selected', String(selected));
  el.classList.toggle('selected', selected);
  el.style.setProperty('--level', String(row.level - 1));

  setIcon(p.twisty, 'twisty', row.expandable ? (row.expanded ? 'chevron-down' : 'chevron-right') : undefined);

  let icon: string | undefined;
  let label = displayText(node.label);
  let chip = '';
  let chipClass = 'chip';
  let desc = '';
  let title = label;
  const badges: HTMLElement[] = [];
  const actions: HTMLElement[] = [];
  let placedClass = '';
  let strip = false;

  switch (node.kind) {
    case 'namespace':
    case 'clusterNamespace': {
      icon = 'symbol-namespace';
      const t = node.tally!;
      desc = node.kind === 'namespace' ? `${plural(node.children?.length ?? 0, 'resource')} · ${t.placed.toLocaleString()} of ${plural(t.cells, 'placement')}` : `${t.placed.toLocaleString()} of ${plural(t.cells, 'resource')} placed`;
      badges.push(...tallyBadges(t));
      title = `Namespace ${label}: ${desc}`;
      break;
    }
    case 'resource': {
      const r = node.resource!;
      icon = r.error ? 'error' : 'symbol-class';
      const t = node.tally!;
      desc = `${t.placed} of ${plural(t.cells, 'cluster')}`;
      if (r.rsp) badges.push(badge('rsp', r.rsp.totalReplicas === 1 ? '1 replica' : `${r.rsp.totalReplicas} replicas`, `ReplicaSchedulingPreference: ${r.rsp.totalReplicas} replicas${r.rsp.schedule ? '' : ' (schedules nothing)'}`, 'layers'));
      if (r.error) {
        chip = 'error';
        chipClass = 'chip chip-error';
        badges.push(badge('error', displayText(r.error, 120), displayText(r.error, 2000), undefined));
      }
      badges.push(...tallyBadges(t));
      title = `${displayText(r.kind)} ${displayText(r.namespace ? `${r.namespace}/${r.name}` : r.name)} (${displayText(r.era)}) — ${desc}${r.error ? `\n${displayText(r.error, 2000)}` : ''}`;
      if (r.location) actions.push(action('openSource', 'go-to-file', 'Open source (Enter)'));
      strip = true;
      break;
    }
    case 'cluster': {
      const info = node.clusterInfo;
      const notReady = info?.ready === false;
      icon = notReady ? 'debug-disconnect' : 'server-environment';
      const t = node.tally!;
      desc = `${t.placed.toLocaleString()} of ${plural(t.cells, 'resource')} placed`;
      const labels = info?.labels ? Object.entries(info.labels).map(([k, v]) => `${k}=${v}`) : [];
      if (notReady) {
        chip = 'not ready';
        chipClass = 'chip chip-warn';
      }
      if (labels.length) desc += ` · ${displayText(labels.join(', '), 200)}`;
      badges.push(...tallyBadges(t));
      title = `Cluster ${label}${notReady ? ' (not ready)' : ''}: ${desc}`;
      break;
    }
    case 'cell': {
      const c = node.cell!;
      icon = cellIcon(c);
      placedClass = c.placed ? 'placed' : 'not-placed';
      chip = reasonShort(c);
      chipClass = `chip reason-${c.category}${c.placed ? ' in' : ' out'}`;
      desc = displayText(c.reason);
      if (c.placed && typeof c.overrides === 'number') badges.push(badge(c.overrides ? 'overrides' : 'overrides none', c.overrides === 1 ? '1 override' : `${c.overrides} overrides`, c.overrides ? `${c.overrides} field${c.overrides === 1 ? '' : 's'} changed by overrides for ${displayText(c.cluster)}` : `${displayText(c.cluster)} receives the template as is`, 'replace'));
      if (typeof c.replicas === 'number') badges.push(badge('replicas', c.replicas === 1 ? '1 replica' : `${c.replicas} replicas`, `ReplicaSchedulingPreference gives ${displayText(c.cluster)} ${c.replicas} replicas`, 'layers'));
      const lb = liveBadge(c, ctx.now);
      if (lb) badges.push(lb);
      const kb = kubefedBadge(c, ctx.now);
      if (kb) badges.push(kb);
      const r = node.resource!;
      const who = `${displayText(r.kind)} ${displayText(r.namespace ? `${r.namespace}/${r.name}` : r.name)}`;
      title = `${who} on ${displayText(c.cluster)}: ${c.placed ? 'placed' : 'not placed'} — ${desc}`;
      label = node.label === node.cluster ? displayText(c.cluster) : displayText(node.label);
      actions.push(action('openPreview', 'open-preview', 'Preview for this cluster (Enter)'));
      actions.push(action('openDiff', 'diff', 'Compare with the cluster (Shift+Enter)'));
      if (node.label !== node.cluster && r.location) actions.push(action('openSource', 'go-to-file', 'Open source'));
      break;
    }
  }

  setIcon(p.icon, `icon ${placedClass}`.trim(), icon);
  setText(p.label, label);
  setText(p.chip, chip);
  if (p.chip.className !== chipClass) p.chip.className = chipClass;
  p.chip.hidden = !chip;
  setText(p.desc, desc);
  el.title = title;
  el.setAttribute('aria-label', `${label}${chip ? `, ${chip}` : ''}${desc ? `, ${desc}` : ''}`);
  p.badges.replaceChildren(...badges);
  p.actions.replaceChildren(...actions);
  if (strip && node.resource) fillStrip(p.strip, row);
  else if (p.strip.firstChild) p.strip.replaceChildren();
}

function fillStrip(strip: HTMLElement, row: Row): void {
  const cells = row.node.children ?? [];
  const shown = cells.slice(0, STRIP_MAX);
  const dots: HTMLElement[] = [];
  for (const child of shown) {
    const c = child.cell!;
    const state = c.live ? ` live-${c.live.state}` : '';
    const d = span(`dot ${c.placed ? 'in' : 'out'}${c.clusterReady === false ? ' unready' : ''}${state}`);
    d.dataset.cluster = c.cluster;
    d.title = `${displayText(c.cluster)}: ${c.placed ? 'placed' : 'not placed'} — ${displayText(c.reason)}${c.live ? ` · ${c.live.outcome ? displayText(c.live.outcome, 40) : LIVE_LABELS[c.live.state]}` : ''}`;
    dots.push(d);
  }
  if (cells.length > STRIP_MAX) {
    const more = span('more');
    more.textContent = `+${cells.length - STRIP_MAX}`;
    dots.push(more);
  }
  strip.replaceChildren(...dots);
}
