/**
 * KubeFed language server: `node dist/server.js --stdio` (or `--node-ipc`, `--socket=<port>`).
 *
 * Generic YAML/Kubernetes schema features come from yaml-language-server, embedded as a library
 * and fed one `---` document at a time; everything federation-specific comes from the engine
 * (server/engine). One file per feature, like yaml-language-server's services.
 */
import {
  createConnection,
  ProposedFeatures,
  TextDocumentSyncKind,
  CodeActionKind,
  DidChangeWatchedFilesNotification,
  DidChangeConfigurationNotification,
  FileChangeType,
  CodeLensRefreshRequest,
  type InitializeParams,
  type InitializeResult,
  type WorkspaceFolder,
} from 'vscode-languageserver/node';
import { Workspace } from '../engine/index.ts';
import { DocumentManager } from './documents.ts';
import { SchemaRegistry } from './schemas.ts';
import { YamlService } from './yamlService.ts';
import { DiagnosticsPublisher } from './diagnostics.ts';
import { bumpSchemaGeneration, type ServerContext, type Settings } from './context.ts';
import { ClusterSources } from './clusters.ts';
import { MemberSchemas } from './memberSchemas.ts';
import { onCompletion } from './completion.ts';
import { onHover } from './hover.ts';
import { onCodeLens } from './codelens.ts';
import { configureLensCommands, executeCommandProvider, onExecuteCommand } from './lensCommands.ts';
import { onCodeAction } from './codeactions.ts';
import { onInlayHints } from './inlayhints.ts';
import { onDefinition, onReferences } from './definition.ts';
import { onDocumentSymbols, onWorkspaceSymbols } from './symbols.ts';
import { registerRequests } from './requests.ts';
import { InventoryChangedNotification } from './protocol.ts';
import { HostLink } from './host.ts';
import { ANSWER_ERROR, guard } from './cancel.ts';

const connection = createConnection(ProposedFeatures.all);
const ws = new Workspace();
const schemas = new SchemaRegistry();
const yaml = new YamlService(schemas);
const docs = new DocumentManager(ws);
const settings: Settings = {};
let markReady: () => void = () => {};
const ready = new Promise<void>((r) => (markReady = r));
const ctx: ServerContext = { connection, ws, docs, schemas, yaml, settings, ready };
const diagnostics = new DiagnosticsPublisher(ctx);
const clusterSources = new ClusterSources(ctx);
// KubeFed's status from the watched host: a status change republishes the diagnostics and
// refreshes the code lenses.
let canRefreshLenses = false;
ctx.host = new HostLink(ctx, () => clusterSources.kubeconfigPaths(), () => {
  diagnostics.schedule([]);
  if (canRefreshLenses) void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
});
const memberSchemas = new MemberSchemas(ctx, () => clusterSources.kubeconfigPaths(), () => diagnostics.schedule([]));

let workspaceFolders: WorkspaceFolder[] = [];
let canWatchFiles = false;
let canConfigure = false;
let canRegisterConfiguration = false;
let lastInventory = '';

docs.onChange((uris) => diagnostics.schedule(uris));

diagnostics.afterAnalysis(() => {
  const a = ws.analysis();
  memberSchemas.update();
  // Federated types declared by workspace FederatedTypeConfigs change the schemas, and so do the
  // workspace's CustomResourceDefinitions (templates of custom kinds).
  const crdsChanged = schemas.setCrds(a.crds);
  if (schemas.setTypes(a.types) || crdsChanged) {
    bumpSchemaGeneration();
    diagnostics.revalidateAll();
  }
  const inv = JSON.stringify(a.clusters.map((c) => [c.name, c.labels, c.source, c.ready ?? null]));
  if (inv !== lastInventory) {
    const first = lastInventory === '';
    lastInventory = inv;
    if (!first || a.clusters.length) {
      void connection.sendNotification(InventoryChangedNotification, {
        clusters: a.clusters.map((c) => ({ name: c.name, labels: c.labels, source: c.source, ready: c.ready })),
      });
    }
  }
});

connection.onInitialize((params: InitializeParams): InitializeResult => {
  const caps = params.capabilities;
  canWatchFiles = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
  canRefreshLenses = !!caps.workspace?.codeLens?.refreshSupport;
  canConfigure = !!caps.workspace?.configuration;
  // without dynamic registration the client sends workspace/didChangeConfiguration unasked (or never)
  canRegisterConfiguration = !!caps.workspace?.didChangeConfiguration?.dynamicRegistration;
  Object.assign(settings, (params.initializationOptions ?? {}) as Settings);
  configureLensCommands(params);
  workspaceFolders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: 'root' }] : []);
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: false },
      completionProvider: { triggerCharacters: [':', ' ', '/', '"', "'"], resolveProvider: false },
      hoverProvider: true,
      codeLensProvider: { resolveProvider: false },
      executeCommandProvider: executeCommandProvider(),
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite] },
      inlayHintProvider: { resolveProvider: false },
      definitionProvider: true,
      referencesProvider: true,
      documentSymbolProvider: true,
      workspaceSymbolProvider: true,
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'kubefed-language-server', version: '0.1.0' },
  };
});

connection.onInitialized(async () => {
  if (canWatchFiles) {
    void connection.client.register(DidChangeWatchedFilesNotification.type, {
      watchers: [{ globPattern: '**/*.{yaml,yml}' }],
    });
  }
  if (canRegisterConfiguration) {
    void connection.client.register(DidChangeConfigurationNotification.type, { section: 'kubefed' });
  }
  await refreshSettings();
  ctx.host?.configure();
  try {
    connection.workspace.onDidChangeWorkspaceFolders(async (e) => {
      docs.removeFolders(e.removed.map((f) => f.uri));
      await docs.indexFolders(e.added.map((f) => f.uri));
    });
  } catch {
    // client without workspace folder support
  }
  docs.addFolders(workspaceFolders.map((f) => f.uri));
  await clusterSources.load();
  diagnostics.schedule([]);
  try {
    if (workspaceFolders.length) {
      // The folder watch starts before the first search, so that no file written while the
      // search runs falls between the two.
      if (!canWatchFiles) {
        docs.watchFolders(
          (uri, deleted) => {
            void docs.fileChanged(uri, deleted).then(() => {
              if (deleted) diagnostics.cleared(uri);
            });
          },
          (message) => connection.console.warn(`kubefed: ${message}`),
        );
      }
      const n = await docs.indexFolders(workspaceFolders.map((f) => f.uri));
      connection.console.log(`kubefed: indexed ${n} YAML files`);
    }
  } finally {
    markReady();
    diagnostics.start();
  }
});

async function refreshSettings(): Promise<void> {
  if (!canConfigure) return;
  try {
    const s = (await connection.workspace.getConfiguration('kubefed')) as Settings | null;
    if (s && typeof s === 'object') Object.assign(settings, s);
  } catch {
    // keep initialization options
  }
}

connection.onDidChangeConfiguration(async (change) => {
  const strictness = settings.schemaStrictness;
  const s = (change.settings as { kubefed?: Settings } | undefined)?.kubefed;
  if (s) Object.assign(settings, s);
  else await refreshSettings();
  await clusterSources.load();
  ctx.host?.configure();
  if (settings.schemaStrictness !== strictness) diagnostics.revalidateAll();
  else diagnostics.schedule([]);
});

connection.onDidOpenTextDocument((p) => {
  // always publish for a newly opened document, even when nothing changed
  diagnostics.forget(p.textDocument.uri);
  docs.didOpen(p.textDocument.uri, p.textDocument.languageId, p.textDocument.version, p.textDocument.text);
});
connection.onDidChangeTextDocument((p) => {
  docs.didChange(p.textDocument.uri, p.textDocument.version, p.contentChanges);
});
connection.onDidCloseTextDocument(async (p) => {
  await docs.didClose(p.textDocument.uri);
  if (!ws.getFile(p.textDocument.uri)) diagnostics.cleared(p.textDocument.uri);
});
connection.onDidChangeWatchedFiles(async (p) => {
  for (const c of p.changes) {
    if (clusterSources.watches(c.uri)) {
      await clusterSources.load();
      diagnostics.schedule([]);
      continue;
    }
    const deleted = c.type === FileChangeType.Deleted;
    await docs.fileChanged(c.uri, deleted);
    if (deleted) diagnostics.cleared(c.uri);
  }
});

connection.onCompletion(guard(ctx, 'completion', onCompletion, { isIncomplete: false, items: [] }));
connection.onHover(guard(ctx, 'hover', onHover, null));
connection.onCodeLens(guard(ctx, 'codeLens', onCodeLens, []));
connection.onExecuteCommand(guard(ctx, 'executeCommand', onExecuteCommand, ANSWER_ERROR));
connection.onCodeAction(guard(ctx, 'codeAction', (c, p, t) => onCodeAction(c, p, t, diagnostics), []));
connection.languages.inlayHint.on(guard(ctx, 'inlayHint', onInlayHints, []));
connection.onDefinition(guard(ctx, 'definition', onDefinition, null));
connection.onReferences(guard(ctx, 'references', onReferences, []));
connection.onDocumentSymbol(guard(ctx, 'documentSymbol', onDocumentSymbols, []));
connection.onWorkspaceSymbol(guard(ctx, 'workspaceSymbol', onWorkspaceSymbols, []));
registerRequests(ctx, diagnostics, clusterSources);
memberSchemas.register();

// Library warnings (e.g. yaml's "Keys with collection values") go to the LSP log, not stderr.
process.removeAllListeners('warning');
process.on('warning', (w) => connection.console.warn(`${w.name}: ${w.message}`));
// Stopped by a signal (an editor that kills its server after `exit`, or Ctrl+C): leave through
// process.exit so that exit handlers run (the preview folder of plain clients is removed).
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.once(signal, () => process.exit(128 + (signal === 'SIGHUP' ? 1 : signal === 'SIGINT' ? 2 : 15)));

process.on('uncaughtException', (e) => {
  connection.console.error(`uncaught: ${e instanceof Error ? e.stack : String(e)}`);
});
process.on('unhandledRejection', (e) => {
  connection.console.error(`unhandled rejection: ${e instanceof Error ? e.stack : String(e)}`);
});

connection.onShutdown(() => {
  docs.dispose();
  ctx.host?.stop();
  memberSchemas.dispose();
});
connection.listen();
