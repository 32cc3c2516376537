/** Opens a report in headless Debian Chromium (a fresh profile each time) and reports what the page did. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';
/** The height of the top-of-page screenshot: title, learners at risk and the heatmap of a few dozen learners. */
const TOP_HEIGHT = 1800;
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface ChartState {
  readonly id: string;
  readonly rendered: string | null;
  readonly svgs: number;
  readonly canvases: number;
  readonly marks: number;
}

export interface PageVisit {
  readonly charts: readonly ChartState[];
  /** Console errors and uncaught exceptions. */
  readonly errors: readonly string[];
  /** Every URL the page requested besides the report file itself. */
  readonly requests: readonly string[];
  /** How many chart data tables are open (they fold once their chart is drawn). */
  readonly openTables: number;
  /** The flagged-tests table's rows as "assignment/test: flags". */
  readonly flaggedTests: readonly string[];
  /** The similar-code table's rows as "assignment/exercise: a ~ b". */
  readonly similarPairs: readonly string[];
}

/**
 * Runs `use` in headless Debian Chromium with a fresh profile (no network services, no GPU), closing the browser and
 * removing the profile afterwards, whatever `use` does.
 */
export async function withChromium<T>(
  options: { javaScriptEnabled?: boolean; viewport: { width: number; height: number } },
  use: (context: BrowserContext) => Promise<T>,
): Promise<T> {
  const profile = mkdtempSync(join(tmpdir(), 'convlab-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, ...options });
  try {
    return await use(context);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

export function visitReport(
  file: string,
  options: { javaScript: boolean; screenshot?: string; topScreenshot?: string },
): Promise<PageVisit> {
  return withChromium({ javaScriptEnabled: options.javaScript, viewport: { width: 1280, height: 900 } }, async (context) => {
    const page = await context.newPage();
    const url = pathToFileURL(file).href;
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('request', (request) => {
      if (request.url() !== url) requests.push(request.url());
    });
    await page.goto(url, { waitUntil: 'load' });
    if (options.javaScript) {
      await page.waitForFunction(() =>
        Array.from(document.querySelectorAll<HTMLElement>('.chart')).every(
          (chart) => chart.dataset.rendered !== undefined,
        ),
      );
    }
    const charts = await page.$$eval('.chart', (elements) =>
      elements.map((element) => ({
        id: element.id,
        rendered: (element as HTMLElement).dataset.rendered ?? null,
        svgs: element.querySelectorAll('svg').length,
        canvases: element.querySelectorAll('canvas').length,
        marks: element.querySelectorAll(
          'svg .mark-rect path, svg .mark-rect rect, svg .mark-line path, svg .mark-symbol path',
        ).length,
      })),
    );
    const openTables = await page.$$eval(
      'details.chart-data',
      (elements) => elements.filter((element) => (element as HTMLDetailsElement).open).length,
    );
    if (options.screenshot !== undefined) await page.screenshot({ path: options.screenshot, fullPage: true });
    if (options.topScreenshot !== undefined) {
      await page.screenshot({
        path: options.topScreenshot,
        fullPage: true,
        clip: { x: 0, y: 0, width: 1280, height: TOP_HEIGHT },
      });
    }
    const cellsOf = (rows: Element[]) => rows.map((row) => Array.from(row.querySelectorAll('td'), (cell) => cell.textContent ?? ''));
    const flaggedTests = (await page.$$eval('table.flagged tbody tr', cellsOf)).map(([assignment, test, flags]) => `${assignment}/${test}: ${flags}`);
    const similarPairs = (await page.$$eval('table.similar tbody tr', cellsOf)).map(([assignment, exercise, a, b]) => `${assignment}/${exercise}: ${a} ~ ${b}`);
    return { charts, errors, requests, openTables, flaggedTests, similarPairs };
  });
}
