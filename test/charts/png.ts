// Reading a rendered chart back: decode the PNG, map data to pixels from the spec's own fixed
// plot area and domains, and look for a colour around a pixel.
import { PNG } from "pngjs";
import type { BuiltChart } from "../../charts/specs/common.js";

export interface Image {
  width: number;
  height: number;
  data: Buffer;
}

export function decodePng(png: Buffer): Image {
  const img = PNG.sync.read(png);
  return { width: img.width, height: img.height, data: img.data };
}

export function rgbOf(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.replace("#", ""), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function distance(img: Image, x: number, y: number, rgb: [number, number, number]): number {
  const i = (y * img.width + x) * 4;
  const d = [0, 1, 2].map((k) => (img.data[i + k] as number) - rgb[k as 0 | 1 | 2]);
  return Math.hypot(...d);
}

/** Is a pixel within `tolerance` (RGB distance) of the colour within `radius` px of (x, y)? */
export function colourNear(
  img: Image,
  x: number,
  y: number,
  hex: string,
  radius = 3,
  tolerance = 60,
): boolean {
  const rgb = rgbOf(hex);
  for (let dy = -radius; dy <= radius; dy++) {
    for (let dx = -radius; dx <= radius; dx++) {
      const px = Math.round(x) + dx;
      const py = Math.round(y) + dy;
      if (px < 0 || py < 0 || px >= img.width || py >= img.height) continue;
      if (distance(img, px, py, rgb) <= tolerance) return true;
    }
  }
  return false;
}

/** Pixels in the rectangle that are not (near) white. */
export function inkIn(img: Image, x0: number, y0: number, x1: number, y1: number): number {
  let n = 0;
  for (let y = Math.max(0, y0); y < Math.min(img.height, y1); y++) {
    for (let x = Math.max(0, x0); x < Math.min(img.width, x1); x++) {
      if (distance(img, x, y, [255, 255, 255]) > 30) n += 1;
    }
  }
  return n;
}

interface Scales {
  left: number;
  top: number;
  width: number;
  height: number;
  x: [number, number];
  y: [number, number];
}

/** The plot area and domains written in the spec (padding, width, height, the first layer's scales). */
export function scalesOf(chart: BuiltChart): Scales {
  // biome-ignore lint/suspicious/noExplicitAny: reading back our own Vega-Lite JSON
  const spec = chart.spec as any;
  const enc = spec.layer[0].encoding;
  return {
    left: spec.padding.left,
    top: spec.padding.top,
    width: spec.width,
    height: spec.height,
    x: enc.x.scale.domain,
    y: enc.y.scale.domain,
  };
}

/** The pixel of a data point (time as ISO or ms, value) on the chart. */
export function pixelOf(s: Scales, t: string | number, value: number): { x: number; y: number } {
  const ms = typeof t === "number" ? t : Date.parse(t);
  return {
    x: s.left + ((ms - s.x[0]) / (s.x[1] - s.x[0])) * s.width,
    y: s.top + s.height * (1 - (value - s.y[0]) / (s.y[1] - s.y[0])),
  };
}
