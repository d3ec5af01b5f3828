/**
 * End-to-end harness: a real VS Code (code-server, installed by ./setup.mjs into a cache folder)
 * with this extension, driven through Chromium by playwright-core, offline.
 *
 *   const vs = await startVSCode({ workspace: 'samples/workspace', files: {...}, settings: {...} });
 *   await vs.openFile('v1beta1/web.yaml');
 *   ...
 *   await vs.close();
 *
 * One code-server per test file; `check(name, fn)` wraps a node:test test so that a failure
 * leaves a screenshot (and the page's console) in .artifacts/e2e/.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { ROOT, setupPaths, sleep, startCodeServer, type CodeServer, type CodeServerOptions } from './codeServer.ts';

export { ROOT, EXTENSION_ID, sleep, startCodeServer, type CodeServer, type CodeServerOptions } from './codeServer.ts';
export const ARTIFACTS = join(ROOT, '.artifacts', 'e2e');
/**
 * With KFED_SCREENSHOTS=1 the tests also write the README's pictures (docs/images/*.png) at the
 * moment they check the feature shown, in the light theme: `KFED_SCREENSHOTS=1 npm run test:e2e`.
 * Otherwise nothing is written there (a test run leaves the tree clean).
 */
export const DOC_IMAGES = process.env.KFED_SCREENSHOTS === '1' ? join(ROOT, 'docs', 'images') : undefined;

/** Keys that differ per platform. */
const MOD = process.platform === 'darwin' ? 'Meta' : 'Control';

export class VSCode {
  readonly console: string[] = [];
  private constructor(
    readonly server: CodeServer,
    readonly context: BrowserContext,
    readonly page: Page,
    readonly name: string,
  ) {}

  static async start(opts: CodeServerOptions): Promise<VSCode> {
    const server = await startCodeServer({
      ...opts,
      userSettings: {
        'editor.hover.delay': 200,
        'editor.minimap.enabled': false,
        // Suggestions only when asked (Ctrl+Space): typing in tests stays deterministic.
        'editor.quickSuggestions': { other: false, comments: false, strings: false },
        'editor.suggestOnTriggerCharacters': false,
        'editor.acceptSuggestionOnEnter': 'on',
        'files.autoSave': 'off',
        // The README's pictures: the light theme, and the editor area without the secondary side bar.
        ...(DOC_IMAGES ? { 'workbench.colorTheme': 'Default Light Modern', 'workbench.secondarySideBar.defaultVisibility': 'hidden' } : {}),
        ...opts.userSettings,
      },
    });
    let context: BrowserContext | undefined;
    try {
      const paths = setupPaths();
      context = await chromium.launchPersistentContext(join(server.tmp, 'chromium'), {
        executablePath: paths.chromium,
        headless: true,
        viewport: { width: 1500, height: 950 },
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
      });
      const page = context.pages()[0] ?? (await context.newPage());
      const vs = new VSCode(server, context, page, opts.name);
      page.on('console', (m) => {
        vs.console.push(`[${m.type()}] ${m.text()}`);
        if (vs.console.length > 2000) vs.console.splice(0, 1000);
      });
      page.on('pageerror', (e) => vs.console.push(`[pageerror] ${e.message}`));
      await page.goto(server.url);
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      // The explorer has the workspace: the window is usable.
      await page.locator('.explorer-folders-view, .explorer-viewlet').first().waitFor({ timeout: 30_000 }).catch(() => undefined);
      return vs;
    } catch (err) {
      await context?.close().catch(() => undefined);
      await server.stop();
      throw err;
    }
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
    await this.server.stop();
  }

  /** Saves a screenshot and the console into .artifacts/e2e/. */
  async artifact(label: string): Promise<string> {
    mkdirSync(ARTIFACTS, { recursive: true });
    const base = join(ARTIFACTS, `${this.name}--${label.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80)}`);
    await this.page.screenshot({ path: `${base}.png`, fullPage: false, timeout: 10_000 }).catch(() => undefined);
    writeFileSync(`${base}.console.txt`, this.console.join('\n'));
    writeFileSync(`${base}.code-server.txt`, this.server.output());
    return `${base}.png`;
  }

  /**
   * A picture for the README (docs/images/<name>.png) when KFED_SCREENSHOTS=1: the box around
   * `targets` (and `pad` pixels more), cropped to at most `max` CSS pixels from its top left
   * corner. Does nothing otherwise.
   */
  async docImage(name: string, targets: Locator | Locator[], opts: { width?: number; height?: number; pad?: number } = {}): Promise<void> {
    if (!DOC_IMAGES) return;
    mkdirSync(DOC_IMAGES, { recursive: true });
    const boxes = await Promise.all((Array.isArray(targets) ? targets : [targets]).map((t) => t.boundingBox()));
    if (boxes.some((b) => !b)) throw new Error(`${name}: nothing to take a picture of`);
    const pad = opts.pad ?? 0;
    const x = Math.max(0, Math.min(...boxes.map((b) => b!.x)) - pad);
    const y = Math.max(0, Math.min(...boxes.map((b) => b!.y)) - pad);
    const right = Math.max(...boxes.map((b) => b!.x + b!.width)) + pad;
    const bottom = Math.max(...boxes.map((b) => b!.y + b!.height)) + pad;
    const clip = { x, y, width: Math.min(right - x, opts.width ?? Infinity), height: Math.min(bottom - y, opts.height ?? Infinity) };
    await this.page.screenshot({ path: join(DOC_IMAGES, `${name}.png`), clip, animations: 'disabled', caret: 'hide' });
  }

  // ---------------------------------------------------------------------------------------
  // Workbench

  /**
   * Opens a quick input with `key` and types `text` into it. A dialog that just closed can take
   * the focus back a moment later (the workbench is inert until then), which closes a quick input
   * opened meanwhile: then it is opened again.
   */
  async quickInput(key: string, text: string): Promise<Locator> {
    const input = this.page.locator('.quick-input-widget input');
    for (let attempt = 1; ; attempt++) {
      await this.closeQuickInput();
      await this.page.waitForFunction(() => !document.querySelector('[inert]'), undefined, { timeout: 10_000 }).catch(() => undefined);
      await this.page.keyboard.press(key);
      try {
        await input.fill(text, { timeout: 5000 });
        // Still open with the text (not closed by a focus change right after the fill).
        await this.page.waitForTimeout(50);
        if ((await input.isVisible()) && (await input.inputValue()) === text) return input;
      } catch (err) {
        if (attempt >= 4) throw err;
      }
      if (attempt >= 4) throw new Error(`the quick input of ${key} did not stay open`);
    }
  }

  /** Runs a command from the palette by its exact title (e.g. "KubeFed: Propagate"). */
  async command(title: string): Promise<void> {
    await this.quickInput('F1', `>${title}`);
    // The row whose label is exactly the title (not a longer command that starts with it).
    const row = this.page
      .locator('.quick-input-list .monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRe(title)}$`) }) })
      .first();
    await row.waitFor({ timeout: 15_000 });
    await row.click();
  }

  async closeQuickInput(): Promise<void> {
    if (await this.page.locator('.quick-input-widget').isVisible().catch(() => false)) {
      await this.page.keyboard.press('Escape');
      await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
    }
  }

  /**
   * Waits for a quick pick and chooses the row containing `text`: types `filter` (default: the
   * text) into it, waits until the first row matches, presses Enter.
   */
  async pick(text: string | RegExp, opts: { filter?: string; timeout?: number } = {}): Promise<void> {
    const timeout = opts.timeout ?? 15_000;
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ timeout });
    const filter = opts.filter ?? (typeof text === 'string' ? text : '');
    // The pick may replace the previous quick input: wait for a row with the text first.
    await this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: text }).first().waitFor({ timeout });
    await input.fill(filter);
    const re = typeof text === 'string' ? new RegExp(escapeRe(text)) : text;
    await this.page.waitForFunction(
      ({ source, flags }) => new RegExp(source, flags).test(document.querySelector('.quick-input-widget .quick-input-list .monaco-list-row.focused, .quick-input-widget .quick-input-list .monaco-list-row')?.textContent ?? ''),
      { source: re.source, flags: re.flags },
      { timeout },
    );
    // Wait until the pick was taken: the quick input closes or shows the next step.
    const before = await this.page.locator('.quick-input-widget .quick-input-list').innerText().catch(() => '');
    await input.press('Enter');
    await this.page.waitForFunction(
      (prev) => {
        const w = document.querySelector<HTMLElement>('.quick-input-widget');
        if (!w || w.style.display === 'none' || w.offsetParent === null) return true;
        return ((w.querySelector('.quick-input-list') as HTMLElement | null)?.innerText ?? '') !== prev;
      },
      before,
      { timeout },
    );
  }

  /**
   * Rows of the visible quick pick (text), once a row matches `expect`: a quick pick that is still
   * closing (or one shown earlier) is not mistaken for the one asked about.
   */
  async quickPickRows(expect: RegExp): Promise<string[]> {
    const rows = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    await rows.filter({ hasText: expect }).first().waitFor({ timeout: 15_000 });
    return rows.allInnerTexts();
  }

  /** Opens a workspace file by its relative path (quick open). */
  async openFile(rel: string): Promise<void> {
    const base = rel.split('/').pop()!;
    const tab = this.page.locator(`.editor-group-container.active .tabs-container .tab.active[aria-label*="${base}"]`);
    for (let attempt = 1; ; attempt++) {
      const input = await this.quickInput(`${MOD}+P`, rel);
      // Wait until the list shows the match for this query first.
      await this.page.waitForFunction(
        (b) => (document.querySelector('.quick-input-list .monaco-list-row')?.textContent ?? '').includes(b),
        base,
        { timeout: 20_000 },
      );
      await input.press('Enter');
      try {
        await tab.waitFor({ timeout: attempt < 3 ? 8000 : 20_000 });
        break;
      } catch (err) {
        if (attempt >= 3) throw err;
      }
    }
    await this.editor().locator('.view-lines').waitFor();
  }

  /** The active editor. */
  editor(): Locator {
    return this.page.locator('.editor-group-container.active .editor-instance .monaco-editor').first();
  }

  /** Text of the active editor as rendered (visible lines). */
  async editorText(editor: Locator = this.editor()): Promise<string> {
    return (await editor.locator('.view-lines').innerText()).replace(/\u00a0/g, ' ');
  }

  /** Moves the cursor (Go to Line/Column, 1-based). */
  async goTo(line: number, column = 1): Promise<void> {
    await this.editor().locator('.view-lines').click({ position: { x: 5, y: 5 } });
    const input = await this.quickInput(`${MOD}+G`, `:${line}:${column}`);
    await input.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' }).catch(() => undefined);
  }

  /**
   * Puts the cursor `offset` characters after the first occurrence of `text` in workspace file
   * `rel` (as on disk: use it before edits that move lines), with Go to Line/Column.
   */
  async cursorTo(rel: string, text: string, offset = 0): Promise<void> {
    const content = readFileSync(join(this.server.workspace, rel), 'utf8');
    const at = content.indexOf(text);
    if (at < 0) throw new Error(`"${text}" is not in ${rel}`);
    const before = content.slice(0, at).split('\n');
    await this.goTo(before.length, before[before.length - 1].length + 1 + offset);
  }

  /** The span of the active editor showing `text` (exact token text). */
  token(text: string): Locator {
    return this.editor().locator('.view-line span span', { hasText: new RegExp(`^\\s*${escapeRe(text)}\\s*$`) }).first();
  }

  /** Hovers a token and returns the hover's text. */
  async hover(text: string, expect?: string | RegExp): Promise<string> {
    const span = this.token(text);
    await span.waitFor();
    const hover = this.page.locator('.monaco-hover:not(.hidden)').first();
    for (let attempt = 0; attempt < 4; attempt++) {
      // measured on every attempt: a code lens that appears meanwhile moves the lines down
      const box = await span.boundingBox();
      if (!box) throw new Error(`token ${text} is not visible`);
      await this.page.mouse.move(box.x - 40, box.y + box.height / 2);
      await this.page.mouse.move(box.x + Math.min(6, box.width / 2), box.y + box.height / 2, { steps: 8 });
      try {
        await hover.waitFor({ timeout: 5000 });
        if (expect) {
          await hover.filter({ hasText: expect }).waitFor({ timeout: 10_000 });
        }
        return (await hover.innerText()).replace(/\u00a0/g, ' ');
      } catch {
        await this.page.mouse.move(5, 5);
        await sleep(300);
      }
    }
    throw new Error(`no hover${expect ? ` with ${expect}` : ''} on ${text}`);
  }

  /** Texts of the visible notification toasts. */
  async notifications(): Promise<string[]> {
    return this.page.locator('.notifications-toasts .notification-toast .notification-list-item-message').allInnerTexts();
  }

  async waitNotification(text: string | RegExp, timeout = 30_000): Promise<string> {
    const n = this.page.locator('.notifications-toasts .notification-toast .notification-list-item-message', { hasText: text }).first();
    await n.waitFor({ timeout });
    return n.innerText();
  }

  /** Rows of the Problems panel. */
  async problems(expect?: string | RegExp, timeout = 30_000): Promise<string[]> {
    if (!(await this.page.locator('.markers-panel').isVisible().catch(() => false))) {
      await this.page.keyboard.press(`${MOD}+Shift+M`);
    }
    const rows = this.page.locator('.markers-panel .monaco-list-row');
    if (expect) await rows.filter({ hasText: expect }).first().waitFor({ timeout });
    else await rows.first().waitFor({ timeout });
    return rows.allInnerTexts();
  }

  /** Text of the status bar item with this id (contributed by an extension). */
  statusItem(id: string): Locator {
    return this.page.locator(`.statusbar-item[id$="${id}"], .statusbar-item[id*="${id}"]`).first();
  }

  /** The console lines of the extension host that match. */
  extensionHostLog(re: RegExp): string[] {
    return this.console.filter((l) => re.test(l));
  }
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A node:test test that shares the file's VS Code session and keeps a screenshot of a failure.
 * `get` returns the session (started in before()).
 */
export function check(name: string, get: () => VSCode | undefined, fn: (vs: VSCode) => Promise<void>, timeout = 120_000): void {
  test(name, { timeout }, async () => {
    const vs = get();
    if (!vs) throw new Error('VS Code did not start (see the first failure)');
    try {
      await fn(vs);
    } catch (err) {
      const shot = await vs.artifact(name);
      (err as Error).message = `${(err as Error).message}\n  screenshot: ${shot}`;
      await vs.closeQuickInput().catch(() => undefined);
      await vs.page.keyboard.press('Escape').catch(() => undefined);
      throw err;
    }
  });
}
