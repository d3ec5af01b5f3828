/**
 * The page that hosts the placement webview, with its Content-Security-Policy: nothing but the
 * bundle's own files (and the one script carrying the page's nonce) may load or run; no inline
 * script, no inline style, no inline event handler. Used by client/placementPanel.ts and by the
 * standalone browser test (same page, served from 127.0.0.1).
 */
import { escapeHtml } from './viewModel.ts';

/** A fresh nonce: 128 random bits, base64. */
export function makeNonce(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

/**
 * `cspSource`: where the webview's own files come from (`webview.cspSource` in VS Code).
 * Styles: only files from there (the components' styles are constructable style sheets, which the
 * policy does not govern). Scripts: only those with the nonce.
 */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    "connect-src 'none'",
    "frame-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export interface WebviewPage {
  cspSource: string;
  nonce: string;
  /** dist/webview/main.js, dist/webview/styles.css and dist/webview/codicon.css as webview URIs. */
  scriptUri: string;
  styleUri: string;
  codiconUri: string;
  /** Extra stylesheets (the standalone test's theme). */
  extraStyles?: string[];
  /** Extra scripts, each run with the nonce before the bundle (the standalone test's `acquireVsCodeApi`). */
  extraScripts?: string[];
  bodyClass?: string;
  title?: string;
}

export function webviewHtml(p: WebviewPage): string {
  const a = escapeHtml;
  const csp = contentSecurityPolicy(p.cspSource, p.nonce);
  const links = [
    // vscode-elements' icons look the codicon stylesheet up by this id.
    `<link rel="stylesheet" id="vscode-codicon-stylesheet" href="${a(p.codiconUri)}">`,
    ...(p.extraStyles ?? []).map((s) => `<link rel="stylesheet" href="${a(s)}">`),
    `<link rel="stylesheet" href="${a(p.styleUri)}">`,
  ];
  const scripts = [...(p.extraScripts ?? []).map((s) => `<script nonce="${a(p.nonce)}" src="${a(s)}"></script>`), `<script nonce="${a(p.nonce)}" src="${a(p.scriptUri)}"></script>`];
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${a(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${a(p.title ?? 'KubeFed Placement')}</title>
${links.join('\n')}
</head>
<body${p.bodyClass ? ` class="${a(p.bodyClass)}"` : ''}>
<div id="app"></div>
${scripts.join('\n')}
</body>
</html>
`;
}
