// Pure helpers of the extension (no `vscode` import): command resolution, settings, summary.
import * as path from 'node:path';

export interface CommandSpec {
  command: string;
  args: string[];
}

export interface ResolveInput {
  command: string[] | string | undefined;
  pythonPath: string | undefined;
  roots: string[];
  envPath: string;
  exists: (p: string) => boolean;
}

/** Where `prooflens serve` comes from: the setting, a Python interpreter, PATH, or the workspace's venv. */
export function resolveServerCommand(input: ResolveInput): CommandSpec | { error: string } {
  let cmd: string[] = [];
  if (typeof input.command === 'string') cmd = input.command.trim() ? [input.command.trim(), 'serve'] : [];
  else if (Array.isArray(input.command)) cmd = input.command.filter((s) => typeof s === 'string' && s.length > 0);
  const python = (input.pythonPath ?? '').trim();
  if (cmd.length === 0 && python) {
    cmd = [python, '-c', 'import sys; from analysis.cli import main; sys.exit(main())', 'serve'];
  }
  const fromSetting = cmd.length > 0;
  if (!fromSetting) cmd = ['prooflens', 'serve'];
  const found = which(cmd[0], input.envPath, input.exists);
  if (found) return { command: found, args: cmd.slice(1) };
  if (!fromSetting) {
    for (const root of input.roots) {
      for (const rel of ['.venv/bin/prooflens', 'venv/bin/prooflens', '.venv/Scripts/prooflens.exe']) {
        const p = path.join(root, rel);
        if (input.exists(p)) return { command: p, args: ['serve'] };
      }
    }
  }
  const what = fromSetting ? `\`${cmd[0]}\` (from the setting ${python && !Array.isArray(input.command) ? 'prooflens.server.pythonPath' : 'prooflens.server.command'})` : '`prooflens` (on PATH or in the workspace\'s .venv)';
  return {
    error:
      `prooflens: the language server ${what} was not found. Install it with \`pip install prooflens\` ` +
      '(or `make` in a prooflens checkout), then set "prooflens.server.command" to e.g. ["/path/to/.venv/bin/prooflens", "serve"] ' +
      'or "prooflens.server.pythonPath" to the Python that has it.',
  };
}

export function which(cmd: string, envPath: string, exists: (p: string) => boolean): string | undefined {
  if (cmd.includes('/') || cmd.includes('\\')) return exists(cmd) ? cmd : undefined;
  for (const dir of envPath.split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, cmd);
    if (exists(p)) return p;
  }
  return undefined;
}

/** Client-only settings are not the server's business (it would warn about unknown keys). */
const CLIENT_ONLY = new Set(['server', 'trace', 'statusBar']);

export function serverSettings(all: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(all)) {
    if (CLIENT_ONLY.has(k) || v === null || v === undefined || typeof v === 'function') continue;
    out[k] = v;
  }
  return out;
}

export type LensStatus = 'proved' | 'refuted' | 'unknown' | 'pending' | 'other';

/** The status a lens title tells: `✔ proved · 3 checks`, `✘ refuted: …`, `? unknown: …`, `… verifying`, `stale`. */
export function classifyTitle(title: string): LensStatus {
  const t = title.trim();
  if (t === '' || /^(…|\.\.\.)|verifying|stale|pending|queued/i.test(t)) return 'pending';
  if (/^✘|refuted/i.test(t)) return 'refuted';
  if (/^\?|^⚠|unknown|timeout|not verified/i.test(t)) return 'unknown';
  if (/^✔|^✓|proved/i.test(t)) return 'proved';
  return 'other';
}

export interface Summary {
  proved: number;
  refuted: number;
  unknown: number;
  pending: number;
}

export function summarize(titles: string[]): Summary {
  const s: Summary = { proved: 0, refuted: 0, unknown: 0, pending: 0 };
  for (const t of titles) {
    const c = classifyTitle(t);
    if (c !== 'other') s[c]++;
  }
  return s;
}

/** `✔ 2 · ✘ 1 · ? 1`, with a spinner and the count still verifying while there is one. */
export function formatSummary(s: Summary): string {
  const base = `✔ ${s.proved} · ✘ ${s.refuted} · ? ${s.unknown}`;
  return s.pending > 0 ? `$(sync~spin) ${base} · … ${s.pending}` : base;
}
