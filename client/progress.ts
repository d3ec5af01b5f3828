/**
 * Long work in a progress notification with a Cancel button: Cancel aborts the AbortSignal the
 * work is given (every cluster request takes one).
 */
import * as vscode from 'vscode';

export type Progress = vscode.Progress<{ message?: string; increment?: number }>;

export function cancellableProgress<T>(title: string, work: (progress: Progress, signal: AbortSignal) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const abort = new AbortController();
    const cancel = token.onCancellationRequested(() => abort.abort());
    try {
      return await work(progress, abort.signal);
    } finally {
      cancel.dispose();
    }
  });
}
