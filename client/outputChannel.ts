/** The "KubeFed" output channel: the extension's log and the text results of commands. */
import * as vscode from 'vscode';

export class Output implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;

  constructor() {
    this.channel = vscode.window.createOutputChannel('KubeFed', { log: true });
  }

  info(message: string): void {
    this.channel.info(message);
  }

  warn(message: string): void {
    this.channel.warn(message);
  }

  error(message: string, err?: unknown): void {
    this.channel.error(err === undefined ? message : `${message}: ${errorText(err)}`);
  }

  /** A block of plain lines (results of a command), each logged as info. */
  lines(lines: string[]): void {
    for (const l of lines) this.channel.info(l);
  }

  show(preserveFocus = true): void {
    this.channel.show(preserveFocus);
  }

  dispose(): void {
    this.channel.dispose();
  }
}

export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'string') return err;
  try {
    return JSON.stringify(err);
  } catch {
    return String(err);
  }
}
