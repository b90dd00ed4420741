// Drives the prooflens extension in a real VS Code (code-server) through Debian's chromium.
//
// Env: CS_URL (code-server base URL, already running with the extension installed),
//      WORKSPACE (folder opened in VS Code, containing seed.c), ARTIFACTS (screenshots),
//      CHROMIUM (default /usr/bin/chromium), STEP_TIMEOUT_MS (default 90000).
// Steps: open seed.c; Problems shows g2's overflow; code lenses of f, g, g2 final
// (f, g proved; g2 refuted); status bar summary; "prooflens: Show Counterexample" shows the
// hover with the counterexample; an edit that breaks g turns g's lens refuted; the palette's
// "Generate a Test" creates the harness file through the (resolved) code action.
// Prints one JSON line per step and `e2e: N passed, M failed`; exit code 0 only if all passed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import puppeteer from 'puppeteer-core';

const CS_URL = process.env.CS_URL ?? 'http://127.0.0.1:8080';
const WORKSPACE = process.env.WORKSPACE;
const ARTIFACTS = process.env.ARTIFACTS ?? 'artifacts';
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const STEP_TIMEOUT = Number(process.env.STEP_TIMEOUT_MS ?? 90000);
if (!WORKSPACE) throw new Error('WORKSPACE is not set');
fs.mkdirSync(ARTIFACTS, { recursive: true });

const source = fs.readFileSync(path.join(WORKSPACE, 'seed.c'), 'utf8').split('\n');
const lineOf = (re, from = 0) => source.findIndex((l, i) => i >= from && re.test(l)); // 0-based
const L = {
  f: lineOf(/\bf\s*\(/),
  g: lineOf(/\bvoid\s+g\s*\(/),
  g2: lineOf(/\bvoid\s+g2\s*\(/),
};
L.g2sub = lineOf(/x\s*-\s*y/, L.g2);
L.gif = lineOf(/if\s*\(\s*y\s*>\s*0\s*\)/, L.g);

const results = [];
const t0 = Date.now();
let page;
let browser;
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'prooflens-chromium-'));

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
function log(obj) {
  process.stdout.write(JSON.stringify({ t: ((Date.now() - t0) / 1000).toFixed(1), ...obj }) + '\n');
}
async function shot(name) {
  try {
    await page.screenshot({ path: path.join(ARTIFACTS, `vscode-${name}.png`) });
  } catch (e) {
    log({ screenshot: name, error: String(e) });
  }
}
/** Poll `fn` until it returns a truthy value, or throw with the last value seen. */
async function until(what, fn, timeout = STEP_TIMEOUT, every = 250) {
  const end = Date.now() + timeout;
  let last;
  while (Date.now() < end) {
    try {
      last = await fn();
      if (last && (!Array.isArray(last) || last.length)) return last;
    } catch (e) {
      last = `error: ${e}`;
    }
    await sleep(every);
  }
  throw new Error(`timed out (${timeout / 1000} s) waiting for ${what}; last: ${JSON.stringify(last)?.slice(0, 600)}`);
}
async function step(name, fn) {
  const s = Date.now();
  try {
    const detail = await fn();
    results.push({ name, ok: true });
    log({ step: name, ok: true, ms: Date.now() - s, detail });
    return detail;
  } catch (e) {
    results.push({ name, ok: false });
    log({ step: name, ok: false, ms: Date.now() - s, error: String(e?.message ?? e) });
    await shot(`fail-${name.replace(/\W+/g, '-')}`);
    throw e;
  }
}

/** Run a command through the command palette (F1), as a user does. */
async function palette(title) {
  await page.keyboard.press('F1');
  await page.waitForSelector('.quick-input-widget:not([style*="display: none"]) input', { visible: true, timeout: 15000 });
  await page.keyboard.type(title, { delay: 10 });
  await until(`palette entry "${title}"`, () =>
    page.$$eval('.quick-input-list .monaco-list-row', (rows, t) =>
      rows.some((r) => (r.getAttribute('aria-label') ?? r.textContent ?? '').toLowerCase().includes(t.toLowerCase())), title), 15000);
  await page.keyboard.press('Enter');
  await sleep(300);
}

/** Move the cursor to a 0-based line and column with "Go to Line" (Ctrl+G). */
async function gotoPos(line, col) {
  await page.keyboard.down('Control');
  await page.keyboard.press('g');
  await page.keyboard.up('Control');
  await page.waitForSelector('.quick-input-widget:not([style*="display: none"]) input', { visible: true, timeout: 15000 });
  await page.keyboard.type(`${line + 1}:${col + 1}`, { delay: 10 });
  await sleep(200);
  await page.keyboard.press('Enter');
  await sleep(300);
}

/** The visible code lenses, each with the text of the source line below it. */
async function lenses() {
  return page.evaluate(() => {
    const editor = document.querySelector('.editor-instance .monaco-editor');
    if (!editor) return [];
    const lines = [...editor.querySelectorAll('.view-lines .view-line')].map((el) => ({
      top: el.getBoundingClientRect().top,
      text: el.textContent.replace(/\u00a0/g, ' '),
    }));
    return [...editor.querySelectorAll('.codelens-decoration')].map((el) => {
      const top = el.getBoundingClientRect().top;
      const below = lines.filter((l) => l.top > top).sort((a, b) => a.top - b.top)[0];
      return { title: el.textContent.trim(), line: below ? below.text : '' };
    });
  });
}
const lensFor = (all, re) => all.find((l) => re.test(l.line))?.title ?? '';
const pending = (t) => t === '' || /verifying|stale|^…/.test(t);

async function statusText() {
  return page.evaluate(() => {
    const items = [...document.querySelectorAll('.statusbar-item')];
    const it = items.find((e) => (e.id ?? '').includes('prooflens')) ?? items.find((e) => /✔ \d+ · ✘ \d+/.test(e.textContent));
    return it ? it.textContent.trim() : '';
  });
}

async function main() {
  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    userDataDir: profile,
    defaultViewport: { width: 1440, height: 900 },
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', '--disable-extensions'],
  });
  page = await browser.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT);

  await step('workbench loads', async () => {
    await page.goto(`${CS_URL}/?folder=${encodeURIComponent(WORKSPACE)}`, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('.monaco-workbench .explorer-folders-view .monaco-list-row', { timeout: STEP_TIMEOUT });
    return 'explorer shown';
  });

  await step('open seed.c', async () => {
    const row = await until('seed.c in the explorer', () => page.$('.explorer-folders-view .monaco-list-row[aria-label*="seed.c"]'));
    await row.click();
    await page.waitForSelector('.editor-instance .monaco-editor .view-lines', { timeout: STEP_TIMEOUT });
    await until('the editor shows seed.c', () => page.$$eval('.editor-instance .view-line', (ls) => ls.some((l) => l.textContent.includes('g2'))));
    await page.click('.editor-instance .monaco-editor .view-lines');
    return `lines f=${L.f + 1} g=${L.g + 1} g2=${L.g2 + 1} overflow=${L.g2sub + 1}`;
  });

  await step('problems show g2 overflow', async () => {
    // The shortcut toggles the panel; the palette command only focuses it, so it is the
    // fallback whenever the panel is not on screen (a keystroke can land before the
    // workbench takes keyboard focus).
    await page.keyboard.down('Control');
    await page.keyboard.down('Shift');
    await page.keyboard.press('KeyM');
    await page.keyboard.up('Shift');
    await page.keyboard.up('Control');
    let reopened = Date.now();
    let viaPalette = 0;
    let seen;
    try {
      await until('an overflow entry in Problems', async () => {
        const panel = await page.$('.markers-panel');
        const shown = panel ? await panel.isVisible() : false;
        if (!shown && Date.now() - reopened > 5000) {
          reopened = Date.now();
          viaPalette += 1;
          await page.keyboard.press('Escape');
          await palette('View: Focus on Problems View');
        }
        const labels = shown ? await page.$$eval('.markers-panel .monaco-list-row', (rs) => rs.map((r) => r.getAttribute('aria-label') ?? r.textContent)) : [];
        seen = { panel: shown, rows: labels.length };
        return labels.filter((l) => /overflow/i.test(l)).length ? labels : null;
      });
    } catch (e) {
      // say what the user would have seen instead: the panel, the status bar, the lenses
      const ls = await lenses().catch(() => []);
      throw new Error(`${e.message}; problems panel ${JSON.stringify(seen)}; status bar "${await statusText().catch(() => '?')}"; lenses ${JSON.stringify(ls.map((l) => l.title))}`);
    }
    const rows = await page.$$eval('.markers-panel .monaco-list-row', (rs) => rs.map((r) => r.getAttribute('aria-label') ?? r.textContent));
    const hit = rows.find((l) => /overflow/i.test(l));
    if (!new RegExp(`\\b${L.g2sub + 1}\\b`).test(hit)) throw new Error(`overflow entry not on line ${L.g2sub + 1}: ${hit}`);
    await shot('problems');
    return viaPalette ? `${hit} (panel opened through the palette after ${viaPalette} tries)` : hit;
  });

  const finalLenses = await step('code lenses of f, g, g2', async () => {
    const all = await until('final code lenses for f, g and g2', async () => {
      const ls = await lenses();
      const t = [lensFor(ls, /\bf\s*\(/), lensFor(ls, /void\s+g\s*\(/), lensFor(ls, /void\s+g2\s*\(/)];
      return t.every((x) => x && !pending(x)) ? ls : null;
    });
    const f = lensFor(all, /\bf\s*\(/), g = lensFor(all, /void\s+g\s*\(/), g2 = lensFor(all, /void\s+g2\s*\(/);
    if (!/✔|proved/.test(f)) throw new Error(`lens of f: ${f}`);
    if (!/✔|proved/.test(g)) throw new Error(`lens of g: ${g}`);
    if (!/✘|refuted/.test(g2)) throw new Error(`lens of g2: ${g2}`);
    return { f, g, g2, all: all.map((l) => l.title) };
  });

  await step('status bar summary', async () => {
    const text = await until('the prooflens status bar item', async () => {
      const t = await statusText();
      return /✔ \d+ · ✘ \d+ · \? \d+/.test(t) && !t.includes('…') ? t : null;
    }, 30000);
    const m = /✔ (\d+) · ✘ (\d+) · \? (\d+)/.exec(text);
    const proved = finalLenses.all.filter((t) => /^✔/.test(t)).length;
    const refuted = finalLenses.all.filter((t) => /^✘/.test(t)).length;
    if (Number(m[1]) !== proved || Number(m[2]) !== refuted) throw new Error(`status "${text}" vs lenses ${proved} proved, ${refuted} refuted`);
    return text;
  });

  await step('hover shows the counterexample', async () => {
    await gotoPos(L.g2sub, 0); // on the overflow's line, away from its column
    await palette('prooflens: Show Counterexample');
    const text = await until('a hover with a counterexample', async () => {
      const hs = await page.$$eval('.monaco-hover:not(.hidden) .monaco-hover-content, .monaco-hover:not(.hidden)',
        (els) => els.map((e) => e.textContent));
      return hs.find((h) => /counterexample|x\s*=|\|/i.test(h) && /-?\d{3,}/.test(h)) ?? null;
    }, 30000);
    await shot('hover');
    const nums = text.match(/-?\d{4,}/g) ?? [];
    if (nums.length < 2) throw new Error(`hover lacks input values: ${text.slice(0, 300)}`);
    return text.replace(/\s+/g, ' ').slice(0, 240);
  });

  await step('edit breaks g, its lens turns refuted', async () => {
    await page.keyboard.press('Escape');
    const col = source[L.gif].indexOf('0)');
    await gotoPos(L.gif, col);
    await page.keyboard.down('Shift');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.up('Shift');
    await page.keyboard.type('-5', { delay: 40 });
    await until('the edit in the editor', () => page.$$eval('.editor-instance .view-line', (ls) => ls.some((l) => /y\s*>\s*-5/.test(l.textContent.replace(/\u00a0/g, ' ')))), 10000);
    const g = await until('g refuted', async () => {
      const t = lensFor(await lenses(), /void\s+g\s*\(/);
      return /✘|refuted/.test(t) ? t : null;
    });
    const ls = await lenses();
    const g2 = lensFor(ls, /void\s+g2\s*\(/);
    if (!/✘|refuted/.test(g2)) throw new Error(`g2 changed: ${g2}`);
    await until('the status bar counts g as refuted', async () => {
      const t = await statusText();
      const m = /✘ (\d+)/.exec(t);
      return m && Number(m[1]) >= 2 ? t : null;
    }, 30000);
    await shot('final');
    return { g, status: await statusText() };
  });

  await step('generate a test from a counterexample', async () => {
    // last: the generated harness may take the focus from seed.c
    const dir = path.join(WORKSPACE, 'prooflens-tests');
    await palette('prooflens: Generate a Test from the Counterexample');
    const file = await until('the harness file created by the code action', () => {
      const names = fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => /^seed_g2?_.*\.c$/.test(n)) : [];
      return names[0] ?? null;
    }, 30000);
    await until('the harness open in an editor tab', () =>
      page.$$eval('.tab', (tabs, f) => tabs.some((t) => (t.getAttribute('aria-label') ?? t.textContent ?? '').includes(f)), file), 15000);
    await shot('generated-test');
    return file;
  });
}

let code = 0;
try {
  await main();
} catch {
  code = 1;
} finally {
  if (page) await shot('end');
  if (browser) await browser.close().catch(() => undefined);
  fs.rmSync(profile, { recursive: true, force: true });
}
const passed = results.filter((r) => r.ok).length;
process.stdout.write(`e2e: ${passed} passed, ${results.length - passed} failed\n`);
process.exit(code || (passed === results.length ? 0 : 1));
