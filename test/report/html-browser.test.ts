/**
 * The HTML report as a person sees it: opened from disk in a real headless Chromium (Debian's,
 * driven by playwright-core; never a downloaded browser).
 * Screenshots land in test-output/ for a person to look at.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderMermaid } from '../../src/report/mermaid.js';
import { view } from './view-fixture.js';
import { uiasim } from '../cli/run-cli.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const out = join(root, 'test-output');
const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
// Few runs per cell: this tests the page, not the verdicts (compare's own tests do).
const RUNS = '20';

interface Known {
  strategies: { name: string }[];
  faultProfiles: { name: string }[];
}

interface Report {
  strategies: string[];
  faultProfiles: string[];
  cells: { strategy: string; faults: string; verdict: string }[];
}

describe('compare --format html in headless Chromium', () => {
  let context: BrowserContext;
  let page: Page;
  let profileDir: string;
  const errors: string[] = [];
  const requests: string[] = [];
  let report: Report;
  let known: Known;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium); .ci/run does`);
    mkdirSync(out, { recursive: true });
    const [html, list] = await Promise.all([uiasim('compare', '--runs', RUNS, '--format', 'html', '--out', join(out, 'report.html')), uiasim('list', '--json')]);
    expect(html.status, html.stderr).toBe(0);
    known = JSON.parse(list.stdout) as Known;
    profileDir = mkdtempSync(join(tmpdir(), 'uiasim-chromium-'));
    // launchPersistentContext: the one way to give Chromium a fresh, empty --user-data-dir.
    context = await chromium.launchPersistentContext(profileDir, { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1400, height: 1000 } });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(join(out, 'report.html')).href);
    await page.waitForSelector('body[data-diagrams]', { timeout: 60_000 });
    // The page embeds the comparison's JSON report (what `compare --json` prints).
    report = JSON.parse((await page.textContent('#report-data')) ?? 'null') as Report;
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    if (profileDir !== undefined) rmSync(profileDir, { recursive: true, force: true });
  });

  it('draws every diagram without a console error and without the network', async () => {
    expect(await page.getAttribute('body', 'data-diagrams')).toBe('done');
    expect(errors).toEqual([]);
    expect(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([]);
    await page.screenshot({ path: join(out, 'report-top.png') });
  });

  it('has one matrix cell per strategy x fault profile', async () => {
    const cells = await page.$$eval('#matrix td[data-strategy]', (tds) => tds.map((td) => `${td.getAttribute('data-strategy')}|${td.getAttribute('data-faults')}`));
    // Every built-in strategy, every fault profile but check's default any-restart and the
    // captcha-trouble profile (check-only, not columns).
    const strategies = known.strategies.map((s) => s.name);
    const faultProfiles = known.faultProfiles.map((f) => f.name).filter((f) => f !== 'any-restart' && f !== 'captcha-trouble');
    expect([strategies.length, faultProfiles.length]).toEqual([11, 9]);
    expect(cells.sort()).toEqual(strategies.flatMap((s) => faultProfiles.map((f) => `${s}|${f}`)).sort());
    expect(report.strategies).toEqual(strategies);
  });

  it('shows the costs as one bar per strategy in each chart', async () => {
    const bars = await page.$$eval('#chart-hops rect.bar', (rects) => rects.map((r) => r.getAttribute('data-strategy')));
    expect(bars).toEqual(report.strategies);
  });

  it("draws each failing cell's diagram with its participants", async () => {
    const failing = report.cells.filter((c) => c.verdict === 'violated');
    expect(failing.length).toBeGreaterThan(10);
    for (const cell of failing) {
      const item = page.locator(`li.failure[data-strategy="${cell.strategy}"][data-faults="${cell.faults}"]`);
      const svgText = (await item.locator('.diagram svg').textContent()) ?? '';
      const participants = ((await item.getAttribute('data-participants')) ?? '').split(',');
      // Every deployment has these; the store nodes and other processes come from the attribute.
      expect(participants).toEqual(expect.arrayContaining(['app A', 'browser A', 'router', 'main']));
      for (const p of participants) expect(svgText, `${cell.strategy} x ${cell.faults}: ${p}`).toContain(p);
      expect(svgText, `${cell.strategy} x ${cell.faults}`).toMatch(/PROGRESS LOST/);
    }
    await page.locator('li.failure').first().screenshot({ path: join(out, 'report-first-failure.png') });
  });

  it("renders replay --format mermaid of the memory-1.8 counterexample with mermaid's own bundle", async () => {
    const check = JSON.parse((await uiasim('check', '--strategy', 'memory-1.8', '--seed', '1', '--json')).stdout) as { violation: { token: string } };
    const text = (await uiasim('replay', check.violation.token, '--format', 'mermaid')).stdout;
    const blank = await context.newPage();
    const blankErrors: string[] = [];
    blank.on('console', (m) => {
      if (m.type() === 'error') blankErrors.push(m.text());
    });
    await blank.setContent('<!doctype html><html><body><div id="out"></div></body></html>');
    await blank.addScriptTag({ path: join(root, 'node_modules/mermaid/dist/mermaid.min.js') });
    const svg = await blank.evaluate(async (source) => {
      // Runs in the page (this project compiles without the DOM types).
      const page = globalThis as unknown as {
        mermaid: { initialize(o: object): void; render(id: string, text: string): Promise<{ svg: string }> };
        document: { getElementById(id: string): { innerHTML: string } };
      };
      page.mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
      const { svg } = await page.mermaid.render('memory18', source);
      page.document.getElementById('out').innerHTML = svg;
      return svg;
    }, text);
    for (const p of ['app A', 'browser A', 'router', 'main', 'reader1', 'reader2', 'db', 'PROGRESS LOST', '401 from reader1']) expect(svg).toContain(p);
    expect(blankErrors).toEqual([]);
    await blank.locator('#out svg').screenshot({ path: join(out, 'memory-1.8-sequence.png') });

    // Every construct the renderer emits (crash and restart notes, a lost request's crossed
    // arrow, partition notes, a pause of days, timestamps with colons, the red band) parses.
    const everything = await blank.evaluate(async (source) => {
      const page = globalThis as unknown as { mermaid: { render(id: string, text: string): Promise<{ svg: string }> }; document: { getElementById(id: string): { innerHTML: string } } };
      const { svg } = await page.mermaid.render('everything', source);
      page.document.getElementById('out').innerHTML = svg;
      return svg;
    }, renderMermaid(view()));
    for (const p of ['CRASHES', 'restarts, incarnation 2', 'is lost, the fault plan loses it', 'PARTITION', '2 d 1 min pass', '2 d 00:01:40.004 401 from main', 'PROGRESS LOST']) expect(everything).toContain(p);
    expect(blankErrors).toEqual([]);
    await blank.locator('#out svg').screenshot({ path: join(out, 'every-construct-sequence.png') });
    await blank.close();
  });
});
