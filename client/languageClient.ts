/**
 * Starts the KubeFed language server (dist/server.js, node IPC) for YAML files and wraps its
 * custom requests, typed once in server/lsp/protocol.ts: `RenderRequest`, `PlacementRequest`,
 * `ClustersRequest` and the notification `InventoryChangedNotification`.
 *
 * The server gets the `kubefed` settings three ways — initializationOptions, answers to
 * workspace/configuration and workspace/didChangeConfiguration pushes — and each is the same
 * `serverSettings()` of trust.ts: in Restricted Mode it names no kubeconfig, so the server reads none.
 */
import * as vscode from 'vscode';
// Types only: the library and the protocol's type objects (both on vscode-jsonrpc) are loaded when
// the server starts, not at activation.
import type { LanguageClient, LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';
import type { HostStateParams, InventoryCluster, PlacementResponse, RenderParams, RenderResponse } from '../server/lsp/protocol.ts';
import { SECTION } from './config.ts';
import { configurationItem } from './restricted.ts';
import { serverSettings } from './trust.ts';
import type { Output } from './outputChannel.ts';

// vscode-languageclient's State enum (not imported: the library loads lazily).
const STATE_STOPPED = 1;
const STATE_RUNNING = 2;

/** The files the server handles: YAML on disk and unsaved YAML. */
export const DOCUMENT_SELECTOR = [
  { language: 'yaml', scheme: 'file' },
  { language: 'yaml', scheme: 'untitled' },
];

type Protocol = typeof import('../server/lsp/protocol.ts');

export class KubefedClient implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private protocol: Protocol | undefined;
  private starting: Promise<void> | undefined;
  private readonly inventoryEmitter = new vscode.EventEmitter<InventoryCluster[]>();
  private readonly stateEmitter = new vscode.EventEmitter<boolean>();
  /** Fires with the server's cluster inventory whenever it changes. */
  readonly onInventoryChanged = this.inventoryEmitter.event;
  /** Fires with true when the server is running, false when it stopped. */
  readonly onRunningChanged = this.stateEmitter.event;
  private readonly hostEmitter = new vscode.EventEmitter<HostStateParams>();
  /** Fires with the watched KubeFed host's state (`kubefed.hostCluster`) whenever it changes. */
  readonly onHostState = this.hostEmitter.event;
  /** The last host state the server sent. */
  hostState: HostStateParams | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly out: Output,
  ) {}

  /** True once start() was called (the server may still be starting). */
  get started(): boolean {
    return !!this.starting;
  }

  get running(): boolean {
    return this.client?.state === STATE_RUNNING;
  }

  /** Starts the server (once); resolves when it answered `initialize`. */
  start(): Promise<void> {
    this.starting ??= this.launch().catch((err) => {
      this.out.error('the language server did not start', err);
      this.starting = undefined;
      throw err;
    });
    return this.starting;
  }

  private async launch(): Promise<void> {
    const [{ LanguageClient, TransportKind }, protocol] = await Promise.all([import('vscode-languageclient/node'), import('../server/lsp/protocol.ts')]);
    this.protocol = protocol;
    const module = this.context.asAbsolutePath('dist/server.js');
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: DOCUMENT_SELECTOR,
      // Settings: pushed on change (the server also pulls them with workspace/configuration),
      // always as serverSettings() (the middleware), never the raw section.
      synchronize: { configurationSection: SECTION },
      // clientCommands: code lenses carry the extension's own commands (panels, preview documents).
      initializationOptions: () => ({ ...serverSettings(), clientCommands: true }),
      middleware: {
        workspace: {
          configuration: async (params, token, next) => {
            const answers = await next(params, token);
            if (!Array.isArray(answers)) return answers;
            return params.items.map((item, i) => configurationItem(item.section, answers[i], serverSettings(item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined)));
          },
          didChangeConfiguration: () => this.pushSettings(),
        },
      },
      outputChannel: this.out.channel,
      traceOutputChannel: this.out.channel,
      markdown: { isTrusted: false, supportHtml: false },
    };
    const client = new LanguageClient('kubefed', 'KubeFed Language Server', serverOptions, clientOptions);
    this.client = client;
    client.onDidChangeState((e) => this.stateEmitter.fire(e.newState === STATE_RUNNING));
    client.onNotification(protocol.InventoryChangedNotification, (p) => this.inventoryEmitter.fire(p.clusters ?? []));
    client.onNotification(protocol.HostStateNotification, (p) => {
      this.hostState = p;
      this.hostEmitter.fire(p);
    });
    await client.start();
    this.out.info('language server started');
  }

  /** Sends the server the settings it may see now (after a change, or when trust is granted). */
  async pushSettings(): Promise<void> {
    const c = this.client;
    if (!c || c.state === STATE_STOPPED) return;
    const { DidChangeConfigurationNotification } = await import('vscode-languageclient/node');
    // A server that stops meanwhile reads the settings again when it starts.
    await c.sendNotification(DidChangeConfigurationNotification.type, { settings: { [SECTION]: serverSettings() } }).catch(() => undefined);
  }

  private async ready(): Promise<{ c: LanguageClient; p: Protocol }> {
    await this.start();
    if (!this.client || !this.protocol) throw new Error('the KubeFed language server is not running');
    return { c: this.client, p: this.protocol };
  }

  async render(params: RenderParams, token?: vscode.CancellationToken): Promise<RenderResponse> {
    const { c, p } = await this.ready();
    return c.sendRequest(p.RenderRequest, params, token);
  }

  /** Rejects with the server's error (a ResponseError saying what failed) when the placement cannot be computed. */
  async placement(token?: vscode.CancellationToken): Promise<PlacementResponse> {
    const { c, p } = await this.ready();
    return c.sendRequest(p.PlacementRequest, {}, token);
  }

  async clusters(token?: vscode.CancellationToken): Promise<InventoryCluster[]> {
    const { c, p } = await this.ready();
    return (await c.sendRequest(p.ClustersRequest, {}, token)).clusters ?? [];
  }

  async restart(): Promise<void> {
    const c = this.client;
    if (!c) return this.start();
    await c.restart();
  }

  async stop(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    this.starting = undefined;
    if (c && c.state !== STATE_STOPPED) await c.stop(2000).catch(() => undefined);
  }

  dispose(): void {
    void this.stop();
    this.inventoryEmitter.dispose();
    this.stateEmitter.dispose();
    this.hostEmitter.dispose();
  }
}
