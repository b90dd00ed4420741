// The prooflens VS Code extension: starts `prooflens serve` (LSP over stdio) for C files and
// adds what the protocol alone does not give: commands, a status-bar summary of the active
// file (✔ proved · ✘ refuted · ? unknown), and a clear message when the server is missing.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  CodeLens as LspCodeLens,
  DynamicFeature,
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  RegistrationData,
  ServerOptions,
  State,
  StaticFeature,
} from 'vscode-languageclient/node';
import { CommandSpec, formatSummary, resolveServerCommand, serverSettings, Summary, summarize } from './logic';

const SECTION = 'prooflens';
/** Commands this extension registers itself; a server command with the same id is routed through them. */
const OWN_COMMANDS = new Set([
  'prooflens.verifyFunction',
  'prooflens.verifyFile',
  'prooflens.showCounterexample',
  'prooflens.generateTest',
  'prooflens.restartServer',
  'prooflens.showOutput',
]);

/** A LanguageClient that leaves the ids of our own commands alone (VS Code refuses duplicates). */
class ProoflensClient extends LanguageClient {
  serverCommands: string[] = [];

  public registerFeature(feature: StaticFeature | DynamicFeature<any>): void {
    const f = feature as DynamicFeature<any> & { registrationType?: { method: string } };
    if (f.registrationType?.method === ExecuteCommandRequest.method) {
      const register = f.register.bind(f);
      f.register = (data: RegistrationData<any>) => {
        const commands: string[] = data.registerOptions?.commands ?? [];
        this.serverCommands.push(...commands);
        register({ ...data, registerOptions: { ...data.registerOptions, commands: commands.filter((c) => !OWN_COMMANDS.has(c)) } });
      };
    }
    super.registerFeature(feature);
  }
}

let client: ProoflensClient | undefined;
let statusItem: vscode.StatusBarItem;
let output: vscode.LogOutputChannel;
const lensCache = new Map<string, LspCodeLens[]>();
let statusTimer: NodeJS.Timeout | undefined;
let pollTimer: NodeJS.Timeout | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('prooflens', { log: true });
  statusItem = vscode.window.createStatusBarItem('prooflens.status', vscode.StatusBarAlignment.Left, 10);
  statusItem.name = 'prooflens';
  statusItem.command = 'workbench.actions.view.problems';
  context.subscriptions.push(output, statusItem);

  // A command the server also offers (clicked on a lens, chosen as a code action) comes with the
  // server's own arguments: pass it through. Without arguments (palette, key) it acts on the cursor.
  const reg = (id: string, fn: (...args: any[]) => unknown) =>
    context.subscriptions.push(vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      if (args.length > 0 && client?.state === State.Running && client.serverCommands.includes(id)) {
        const r = await serverCommand(client, id, args);
        scheduleStatus(100);
        return r;
      }
      return fn(...args);
    }));
  reg('prooflens.verifyFunction', (...args: unknown[]) => verifyFunction(args));
  reg('prooflens.verifyFile', (...args: unknown[]) => verifyFile(args));
  reg('prooflens.showCounterexample', (...args: unknown[]) => showCounterexample(args));
  reg('prooflens.generateTest', (...args: unknown[]) => generateTest(args));
  reg('prooflens.restartServer', () => restart());
  reg('prooflens.showOutput', () => (client?.outputChannel ?? output).show(true));

  context.subscriptions.push(
    vscode.window.onDidChangeActiveTextEditor(() => scheduleStatus(0)),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (!e.affectsConfiguration(SECTION)) return;
      if (e.affectsConfiguration(`${SECTION}.server`)) {
        await restart();
      } else if (client?.state === State.Running) {
        await client.sendNotification('workspace/didChangeConfiguration', { settings: { [SECTION]: currentSettings() } });
      }
      scheduleStatus(0);
    }),
    { dispose: () => { if (statusTimer) clearTimeout(statusTimer); if (pollTimer) clearTimeout(pollTimer); } },
  );
  await start();
  scheduleStatus(0);
}

export async function deactivate(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) await c.stop(5000).catch(() => undefined);
}

function currentSettings(): Record<string, unknown> {
  const cfg = vscode.workspace.getConfiguration(SECTION);
  return serverSettings(JSON.parse(JSON.stringify(cfg)) as Record<string, unknown>);
}

function workspaceRoots(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
}

async function start(): Promise<void> {
  const cfg = vscode.workspace.getConfiguration(SECTION);
  const resolved = resolveServerCommand({
    command: cfg.get<string[] | string>('server.command'),
    pythonPath: cfg.get<string>('server.pythonPath'),
    roots: workspaceRoots(),
    envPath: process.env.PATH ?? '',
    exists: (p) => { try { fs.accessSync(p, fs.constants.X_OK); return fs.statSync(p).isFile(); } catch { return false; } },
  });
  if ('error' in resolved) {
    showMissing(resolved.error);
    return;
  }
  const spec: CommandSpec = resolved;
  output.appendLine(`starting: ${[spec.command, ...spec.args].join(' ')}`);
  const serverOptions: ServerOptions = {
    // no `transport`: vscode-languageclient would append --stdio; `prooflens serve` speaks stdio by default
    command: spec.command,
    args: spec.args,
    options: { env: { ...process.env, ...(cfg.get<Record<string, string>>('server.env') ?? {}) }, cwd: workspaceRoots()[0] },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: 'c' }],
    initializationOptions: currentSettings(),
    outputChannel: output,
    traceOutputChannel: output,
    middleware: {
      workspace: {
        // the server pulls section "prooflens": hand it only the settings it understands
        configuration: async (params, token, next) => {
          const result = await next(params, token);
          if (!Array.isArray(result)) return result;
          return result.map((r, i) =>
            params.items[i]?.section === SECTION && r && typeof r === 'object' ? serverSettings(r as Record<string, unknown>) : r,
          );
        },
      },
      handleDiagnostics: (uri, diagnostics, next) => {
        next(uri, diagnostics);
        if (uri.toString() === vscode.window.activeTextEditor?.document.uri.toString()) scheduleStatus(150);
      },
      provideCodeLenses: async (document, token, next) => {
        const lenses = await next(document, token);
        if (document.uri.toString() === vscode.window.activeTextEditor?.document.uri.toString()) scheduleStatus(0);
        return lenses;
      },
    },
  };
  const c = new ProoflensClient('prooflens', 'prooflens', serverOptions, clientOptions);
  client = c;
  c.onDidChangeState((e) => {
    if (e.newState === State.Stopped && client === c) {
      statusItem.text = '$(error) prooflens: stopped';
      statusItem.tooltip = 'The prooflens server stopped. Run "prooflens: Restart Server" or see the output.';
      statusItem.command = 'prooflens.showOutput';
      statusItem.show();
    }
  });
  try {
    await c.start();
    statusItem.command = 'workbench.actions.view.problems';
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    output.appendLine(`failed to start the server: ${msg}`);
    showMissing(`prooflens: could not start the server \`${[spec.command, ...spec.args].join(' ')}\`: ${msg}`);
  }
}

async function restart(): Promise<void> {
  const c = client;
  client = undefined;
  lensCache.clear();
  if (c) await c.stop(5000).catch(() => undefined);
  await start();
  scheduleStatus(0);
}

function showMissing(message: string): void {
  statusItem.text = '$(error) prooflens: no server';
  statusItem.tooltip = message;
  statusItem.command = 'prooflens.showOutput';
  statusItem.show();
  output.appendLine(message);
  void vscode.window.showErrorMessage(message, 'Open Settings', 'Show Output').then((choice) => {
    if (choice === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'prooflens.server');
    if (choice === 'Show Output') output.show(true);
  });
}

// ---- status bar ------------------------------------------------------------------------------

function scheduleStatus(delay: number): void {
  if (statusTimer) clearTimeout(statusTimer);
  statusTimer = setTimeout(() => void updateStatus(), delay);
}

async function fetchLenses(uri: vscode.Uri): Promise<LspCodeLens[] | undefined> {
  const c = client;
  if (!c || c.state !== State.Running) return undefined;
  let lenses = (await c.sendRequest<LspCodeLens[] | null>('textDocument/codeLens', { textDocument: { uri: c.code2ProtocolConverter.asUri(uri) } })) ?? [];
  if (c.initializeResult?.capabilities.codeLensProvider?.resolveProvider) {
    lenses = await Promise.all(lenses.map((l) => (l.command ? l : c.sendRequest<LspCodeLens>('codeLens/resolve', l).catch(() => l))));
  }
  lensCache.set(uri.toString(), lenses);
  return lenses;
}

async function updateStatus(): Promise<void> {
  if (pollTimer) { clearTimeout(pollTimer); pollTimer = undefined; }
  const editor = vscode.window.activeTextEditor;
  const enabled = vscode.workspace.getConfiguration(SECTION).get<boolean>('statusBar', true);
  if (!editor || editor.document.languageId !== 'c' || !enabled || !client || client.state !== State.Running) {
    if (client) statusItem.hide();
    return;
  }
  let lenses: LspCodeLens[] | undefined;
  try {
    lenses = await fetchLenses(editor.document.uri);
  } catch (e) {
    output.appendLine(`status: code lenses failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!lenses) return;
  const titles = lenses.map((l) => l.command?.title ?? '');
  const s: Summary = summarize(titles);
  statusItem.text = formatSummary(s);
  const tip = new vscode.MarkdownString(undefined, true);
  tip.appendMarkdown(`**prooflens** — ${path.basename(editor.document.uri.fsPath)}\n\n`);
  for (const l of lenses) {
    const t = l.command?.title ?? '';
    tip.appendMarkdown(`- line ${l.range.start.line + 1}: ${t.replace(/[\\`*_{}[\]()#+\-.!|]/g, '\\$&')}\n`);
  }
  tip.appendMarkdown('\n_Click to open the Problems view._');
  statusItem.tooltip = tip;
  statusItem.backgroundColor = s.refuted > 0 ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  statusItem.show();
  if (s.pending > 0) pollTimer = setTimeout(() => void updateStatus(), 500); // update while verifying
}

// ---- commands --------------------------------------------------------------------------------

function activeC(): vscode.TextEditor | undefined {
  const e = vscode.window.activeTextEditor;
  if (!e || e.document.languageId !== 'c') {
    void vscode.window.showInformationMessage('prooflens: open a C file first.');
    return undefined;
  }
  return e;
}

function running(): ProoflensClient | undefined {
  if (!client || client.state !== State.Running) {
    void vscode.window.showErrorMessage('prooflens: the server is not running (see "prooflens: Show Server Output").');
    return undefined;
  }
  return client;
}

async function serverCommand(c: ProoflensClient, command: string, args: unknown[]): Promise<unknown> {
  return c.sendRequest(ExecuteCommandRequest.type, { command, arguments: args });
}

/** The lens of the function that contains (or most closely precedes) the cursor. */
async function lensAtCursor(editor: vscode.TextEditor): Promise<LspCodeLens | undefined> {
  const lenses = (await fetchLenses(editor.document.uri)) ?? [];
  const line = editor.selection.active.line;
  let best: LspCodeLens | undefined;
  for (const l of lenses) {
    if (l.range.start.line <= line && l.range.end.line >= line) return l;
    if (l.range.start.line <= line && (!best || l.range.start.line > best.range.start.line)) best = l;
  }
  return best ?? lenses[0];
}

async function verifyFunction(args: unknown[]): Promise<void> {
  const c = running();
  if (!c) return;
  const editor = activeC();
  if (!editor) return;
  const lens = await lensAtCursor(editor);
  if (!lens?.command) {
    void vscode.window.showInformationMessage('prooflens: no function here.');
    return;
  }
  await serverCommand(c, lens.command.command, lens.command.arguments ?? args);
  scheduleStatus(100);
}

async function verifyFile(args: unknown[]): Promise<void> {
  const c = running();
  if (!c) return;
  const editor = vscode.window.activeTextEditor;
  const uri = editor?.document.uri;
  const fileCmd = c.serverCommands.find((x) => /verify.?(file|document|all)/i.test(x));
  if (fileCmd) {
    await serverCommand(c, fileCmd, args.length > 0 ? args : [c.code2ProtocolConverter.asUri(uri ?? vscode.Uri.file(''))]);
  } else if (editor) {
    // no file-level command: re-verify every function through its lens
    for (const l of (await fetchLenses(editor.document.uri)) ?? []) {
      if (l.command) await serverCommand(c, l.command.command, l.command.arguments ?? []);
    }
  }
  scheduleStatus(100);
}

/** prooflens diagnostics of the document, the one at the cursor (or the nearest one after/before it) first. */
function refutations(editor: vscode.TextEditor): vscode.Diagnostic[] {
  const diags = vscode.languages
    .getDiagnostics(editor.document.uri)
    .filter((d) => d.source === 'prooflens' && d.severity !== vscode.DiagnosticSeverity.Hint && d.severity !== vscode.DiagnosticSeverity.Information);
  const pos = editor.selection.active;
  const dist = (d: vscode.Diagnostic) => (d.range.contains(pos) ? -1 : Math.abs(d.range.start.line - pos.line));
  return diags.sort((a, b) => dist(a) - dist(b));
}

async function showCounterexample(args: unknown[]): Promise<void> {
  const editor = activeC();
  if (!editor) return;
  let target: vscode.Range | undefined;
  if (args.length > 0 && args[0] && typeof args[0] === 'object' && 'start' in (args[0] as object)) {
    target = client?.protocol2CodeConverter.asRange(args[0] as any);
  }
  target ??= refutations(editor)[0]?.range;
  if (!target) {
    void vscode.window.showInformationMessage('prooflens: no refuted check in this file.');
    return;
  }
  editor.selection = new vscode.Selection(target.start, target.start);
  editor.revealRange(target, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  await vscode.commands.executeCommand('editor.action.showHover');
}

async function generateTest(_args: unknown[]): Promise<void> {
  const editor = activeC();
  if (!editor || !running()) return;
  for (const d of refutations(editor)) {
    const actions = (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
      // the server fills in a code action's edit on codeAction/resolve: ask VS Code to resolve it
      'vscode.executeCodeActionProvider', editor.document.uri, d.range, undefined, 1)) ?? [];
    const action = actions.find((a) => /test/i.test(a.title));
    if (!action) continue;
    if ('edit' in action || 'kind' in action) {
      const ca = action as vscode.CodeAction;
      if (ca.edit && (await vscode.workspace.applyEdit(ca.edit))) {
        // show the harness the edit created (it is unsaved: the user reviews it, then runs it)
        const created = ca.edit.entries().map(([uri]) => uri).find((u) => u.toString() !== editor.document.uri.toString());
        if (created) await vscode.window.showTextDocument(created, { preview: false });
      }
      if (ca.command) await vscode.commands.executeCommand(ca.command.command, ...(ca.command.arguments ?? []));
    } else {
      const cmd = action as vscode.Command;
      await vscode.commands.executeCommand(cmd.command, ...(cmd.arguments ?? []));
    }
    return;
  }
  void vscode.window.showInformationMessage('prooflens: no counterexample to turn into a test here.');
}

