/**
 * `npm run bench`: engine numbers; `kfed validate` at 20,000 resources (bench/scale.ts); the language server against plain yaml-language-server; the
 * extension's activation; the placement webview in Chromium;
 * propagate and compare against `kubectl apply` on three real local API servers.
 */
import { formatActivation, measureActivation } from './activation.ts';
import { formatEngineBench, runEngineBench } from './engine.ts';
import { formatLspBench, runLspBench } from './lsp.ts';
import { runPropagateBench } from './propagate.ts';
import { formatWebviewBench, runWebviewBench } from './webview.ts';
import { formatScaleBench, runScaleBench } from './scale.ts';

console.log(formatEngineBench(runEngineBench()));
console.log('');
console.log(formatScaleBench(runScaleBench()));
console.log('');
console.log(formatLspBench(await runLspBench()));
console.log('');
console.log(formatActivation(measureActivation()));
console.log('');
console.log(formatWebviewBench(await runWebviewBench()));
console.log('');
const p = await runPropagateBench({ log: (l) => console.log(l) });
console.log(JSON.stringify(p, null, 2));
