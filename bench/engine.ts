/**
 * Engine benchmark: a generated workspace of 2,000 federated resources and 10 clusters;
 * median parse, validate and render-all times over several runs, and peak memory.
 */
import { Workspace } from '../server/engine/workspace.ts';
import { generateClusters, generateResources } from './generate.ts';

export interface EngineBench {
  resources: number;
  clusters: number;
  bytes: number;
  parseMs: number;
  validateMs: number;
  renderAllMs: number;
  editRevalidateMs: number;
  renderedObjects: number;
  peakRssMb: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export function runEngineBench(resources = 2000, clusters = 10, runs = 5): EngineBench {
  const clusterText = generateClusters(clusters);
  const text = generateResources(resources, clusters);
  let peak = process.memoryUsage().rss;
  const sample = () => (peak = Math.max(peak, process.memoryUsage().rss));
  const parse: number[] = [];
  const validate: number[] = [];
  const renderAll: number[] = [];
  const edit: number[] = [];
  let rendered = 0;
  for (let r = 0; r < runs; r++) {
    const ws = new Workspace();
    let t = performance.now();
    ws.setFile('clusters.yaml', clusterText);
    ws.setFile('resources.yaml', text);
    parse.push(performance.now() - t);
    sample();
    t = performance.now();
    const diags = ws.allDiagnostics();
    validate.push(performance.now() - t);
    if (diags.some((d) => d.severity === 'error')) throw new Error(`generated workspace has errors: ${diags[0].message}`);
    sample();
    t = performance.now();
    rendered = 0;
    for (const res of ws.resources()) for (const c of res.placement.selected) if (ws.render(res, c).ok) rendered++;
    renderAll.push(performance.now() - t);
    sample();
    // One keystroke in one document: re-parse that document and re-validate the workspace.
    const edited = text.replace('value-3\n', 'value-3x\n');
    t = performance.now();
    ws.setFile('resources.yaml', edited);
    ws.allDiagnostics();
    edit.push(performance.now() - t);
    sample();
  }
  return {
    resources,
    clusters,
    bytes: text.length,
    parseMs: median(parse),
    validateMs: median(validate),
    renderAllMs: median(renderAll),
    editRevalidateMs: median(edit),
    renderedObjects: rendered,
    peakRssMb: peak / 1048576,
  };
}

export function formatEngineBench(b: EngineBench): string {
  return [
    `engine: ${b.resources} federated resources, ${b.clusters} clusters, ${(b.bytes / 1048576).toFixed(1)} MB of YAML (medians)`,
    `  parse               ${b.parseMs.toFixed(0)} ms`,
    `  validate            ${b.validateMs.toFixed(0)} ms`,
    `  render all          ${b.renderAllMs.toFixed(0)} ms (${b.renderedObjects} objects)`,
    `  edit + re-validate  ${b.editRevalidateMs.toFixed(0)} ms`,
    `  peak memory (RSS)   ${b.peakRssMb.toFixed(0)} MB`,
  ].join('\n');
}
