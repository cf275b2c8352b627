// Charts for a diagnosis: which ones it calls for (from its facts), their Vega-Lite specs, and the
// rendering to SVG and PNG. Imported by bot/ and cli/; imports kb/ and parsers/ only.
export { chartsFor } from "./from-diagnosis.js";
export { type RenderedChart, renderCharts } from "./render.js";
export type { ChartInput, ChartKind } from "./series.js";
export { type BuiltChart, buildSpec } from "./specs/index.js";
