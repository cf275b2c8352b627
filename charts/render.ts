// Spec → picture, on the server, with no browser, no canvas and no native build step:
// Vega-Lite compiles to Vega, Vega's headless View (renderer "none") writes the SVG, and resvg
// (prebuilt binaries from the npm registry) rasterises it to PNG with the fonts that ship in
// charts/fonts/, never the machine's, so text renders the same everywhere.
import { join } from "node:path";
import { renderAsync } from "@resvg/resvg-js";
import * as vega from "vega";
import { compile } from "vega-lite";
import { PACKAGE_ROOT } from "../kb/paths.js";
import type { ChartInput } from "./series.js";
import { type BuiltChart, buildSpec } from "./specs/index.js";
import { type FontMetrics, loadFontMetrics, textWidth } from "./text-width.js";

const FONT_DIR = join(PACKAGE_ROOT, "charts", "fonts");
export const FONT_FILES = [join(FONT_DIR, "DejaVuSans.ttf"), join(FONT_DIR, "DejaVuSans-Bold.ttf")];

export interface RenderedChart extends BuiltChart {
  svg: string;
  png: Buffer;
  width: number;
  height: number;
}

interface TextItem {
  text?: unknown;
  fontSize?: number | string;
  fontWeight?: number | string;
}

let measured = false;

/** Vega measures text with the bundled font's metrics (it would guess, or use the machine's fonts). */
function useBundledFontMetrics(): void {
  if (measured) return;
  const [regularPath, boldPath] = FONT_FILES as [string, string];
  const regular = loadFontMetrics(regularPath);
  const bold = loadFontMetrics(boldPath);
  const metrics = (vega as unknown as { textMetrics: { width: (item: TextItem, text?: unknown) => number } })
    .textMetrics;
  const fontOf = (item: TextItem): FontMetrics => {
    const w = item.fontWeight;
    return w === "bold" || w === "bolder" || (Number(w) >= 600 && Number.isFinite(Number(w)))
      ? bold
      : regular;
  };
  // Called with the text (or one line of it), or with none to measure item.text. Vega truncates
  // labels past their limit itself, through this same function.
  metrics.width = (item, text) => {
    const value = text ?? item.text;
    const lines = Array.isArray(value) ? value : [value];
    const size = item.fontSize != null ? Number(item.fontSize) || 0 : 11;
    return Math.max(0, ...lines.map((l) => textWidth(fontOf(item), l == null ? "" : String(l).trim(), size)));
  };
  measured = true;
}

/** Vega-Lite spec → SVG text, through Vega's headless view. */
export async function specToSvg(spec: BuiltChart["spec"]): Promise<string> {
  useBundledFontMetrics();
  // Vega tags the data objects it is given: a copy keeps the caller's spec and inputs untouched.
  const compiled = compile(structuredClone(spec)).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none", logLevel: vega.Error });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** SVG → PNG at its own size, with only the bundled fonts, on a white background. */
export async function svgToPng(svg: string): Promise<{ png: Buffer; width: number; height: number }> {
  const image = await renderAsync(svg, {
    font: {
      fontFiles: FONT_FILES,
      loadSystemFonts: false,
      defaultFontFamily: "DejaVu Sans",
      sansSerifFamily: "DejaVu Sans",
    },
    fitTo: { mode: "original" },
    background: "white",
    logLevel: "off",
  });
  return { png: image.asPng(), width: image.width, height: image.height };
}

export async function renderBuilt(built: BuiltChart): Promise<RenderedChart> {
  const svg = await specToSvg(built.spec);
  const { png, width, height } = await svgToPng(svg);
  return { ...built, svg, png, width, height };
}

/** Each input → its spec → SVG → PNG, in order. */
export async function renderCharts(inputs: ChartInput[]): Promise<RenderedChart[]> {
  const out: RenderedChart[] = [];
  for (const input of inputs) out.push(await renderBuilt(buildSpec(input)));
  return out;
}
