/**
 * The chart runtime inlined into every report: the Vega and Vega-Lite browser bundles read from node_modules when
 * the report is built (no CDN: the page must open offline), and the few lines that render each chart.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export interface ChartRuntime {
  readonly vega: string;
  readonly vegaLite: string;
}

// The packages' exports hide build/, but their main entries live in it, next to the minified browser bundles.
const BUNDLES = { vega: ['vega', 'vega.min.js'], vegaLite: ['vega-lite', 'vega-lite.min.js'] } as const;

let cached: Promise<ChartRuntime> | undefined;

export function loadChartRuntime(): Promise<ChartRuntime> {
  cached ??= Promise.all([readBundle(...BUNDLES.vega), readBundle(...BUNDLES.vegaLite)]).then(([vega, vegaLite]) => ({
    vega,
    vegaLite,
  }));
  return cached;
}

async function readBundle(packageName: string, file: string): Promise<string> {
  const path = join(dirname(require.resolve(packageName)), file);
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    cached = undefined;
    throw new Error(`Cannot read the ${packageName} browser bundle at "${path}": ${(error as Error).message}`);
  }
}

/**
 * Renders every `.chart` element from the Vega-Lite spec in the JSON script its `data-spec` names, then folds the
 * chart's data table away (it stays open when scripts do not run). Errors are shown in place and logged.
 */
export const RENDER_CHARTS_SCRIPT = `
for (const container of document.querySelectorAll('.chart[data-spec]')) {
  const spec = JSON.parse(document.getElementById(container.dataset.spec).textContent);
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'svg', container, hover: true });
  view.runAsync().then(() => {
    container.dataset.rendered = 'true';
    const table = container.closest('figure').querySelector('details.chart-data');
    if (table) table.open = false;
  }).catch((error) => {
    container.dataset.rendered = 'failed';
    container.textContent = 'This chart could not be drawn: ' + error.message + ' (the table below has its data).';
    console.error(error);
  });
}
`;
