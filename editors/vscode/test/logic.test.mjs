// Unit tests of the extension's pure helpers (src/logic.ts, bundled to out/logic.mjs by `npm run test:unit`).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyTitle, formatSummary, resolveServerCommand, serverSettings, summarize } from '../out/logic.mjs';

const fsWith = (...paths) => (p) => paths.includes(p);

test('server command: PATH, then the workspace venv, then a clear error', () => {
  assert.deepEqual(resolveServerCommand({ command: [], pythonPath: '', roots: [], envPath: '/usr/bin:/opt/bin', exists: fsWith('/opt/bin/prooflens') }),
    { command: '/opt/bin/prooflens', args: ['serve'] });
  assert.deepEqual(resolveServerCommand({ command: [], pythonPath: '', roots: ['/ws'], envPath: '/usr/bin', exists: fsWith('/ws/.venv/bin/prooflens') }),
    { command: '/ws/.venv/bin/prooflens', args: ['serve'] });
  const r = resolveServerCommand({ command: [], pythonPath: '', roots: ['/ws'], envPath: '/usr/bin', exists: fsWith() });
  assert.ok('error' in r);
  assert.match(r.error, /not found/);
  assert.match(r.error, /prooflens\.server\.command/);
});

test('server command: the setting, as a list or a single path', () => {
  assert.deepEqual(resolveServerCommand({ command: ['/x/prooflens', 'serve', '--tcp', '1:2'], pythonPath: '', roots: [], envPath: '', exists: fsWith('/x/prooflens') }),
    { command: '/x/prooflens', args: ['serve', '--tcp', '1:2'] });
  assert.deepEqual(resolveServerCommand({ command: '/x/prooflens', pythonPath: '', roots: [], envPath: '', exists: fsWith('/x/prooflens') }),
    { command: '/x/prooflens', args: ['serve'] });
  const missing = resolveServerCommand({ command: ['/nope/prooflens', 'serve'], pythonPath: '', roots: ['/ws'], envPath: '', exists: fsWith('/ws/.venv/bin/prooflens') });
  assert.ok('error' in missing, 'an explicit command that does not exist is an error, not a silent fallback');
  assert.match(missing.error, /\/nope\/prooflens/);
});

test('server command: a Python interpreter', () => {
  const r = resolveServerCommand({ command: [], pythonPath: '/venv/bin/python3', roots: [], envPath: '', exists: fsWith('/venv/bin/python3') });
  assert.equal(r.command, '/venv/bin/python3');
  assert.equal(r.args[0], '-c');
  assert.match(r.args[1], /analysis\.cli/);
  assert.equal(r.args.at(-1), 'serve');
  const bad = resolveServerCommand({ command: [], pythonPath: '/nope/python3', roots: [], envPath: '', exists: fsWith() });
  assert.match(bad.error, /pythonPath/);
});

test('settings sent to the server leave the client-only ones out', () => {
  assert.deepEqual(serverSettings({ server: { command: [] }, trace: { server: 'off' }, statusBar: true, timeout: 5, dataModel: 'LP64', cachePath: null }),
    { timeout: 5, dataModel: 'LP64' });
});

test('lens titles and the status-bar summary', () => {
  assert.equal(classifyTitle('✔ proved · 3 checks · 12 ms'), 'proved');
  assert.equal(classifyTitle('✘ refuted: signed overflow in - (line 18) · +1 more'), 'refuted');
  assert.equal(classifyTitle('? unknown: timeout (overflow, line 3) · 1/2 proved'), 'unknown');
  assert.equal(classifyTitle('⚠ not verified: syntax error'), 'unknown');
  assert.equal(classifyTitle('… verifying'), 'pending');
  assert.equal(classifyTitle('stale'), 'pending');
  const s = summarize(['✔ proved', '✔ proved', '✘ refuted: x', '? unknown: timeout']);
  assert.deepEqual(s, { proved: 2, refuted: 1, unknown: 1, pending: 0 });
  assert.equal(formatSummary(s), '✔ 2 · ✘ 1 · ? 1');
  assert.equal(formatSummary({ ...s, pending: 2 }), '$(sync~spin) ✔ 2 · ✘ 1 · ? 1 · … 2');
});
