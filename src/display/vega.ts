import type { TopLevelSpec } from 'vega-lite' with { 'resolution-mode': 'import' };

export type ChartSpec = TopLevelSpec;

/**
 * Compiles a Vega-Lite spec and renders it to an SVG string in Node (no browser, no canvas). Both packages are
 * ES modules with top-level await, which `require` cannot load, hence the dynamic imports.
 */
export async function renderSvg(spec: ChartSpec): Promise<string> {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
