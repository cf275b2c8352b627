// Text widths from the bundled TTFs' own metrics (cmap format 4 + hmtx), for Vega's layout.
// Without a canvas Vega guesses 0.8 em per character, which puts legends and axis titles where
// the real glyphs (rendered by resvg from the same TTF) do not fit; with node-canvas installed it
// would measure with whatever fonts the machine has. These widths are the same everywhere.
import { readFileSync } from "node:fs";

export interface FontMetrics {
  unitsPerEm: number;
  /** Advance width in font units of the glyph for a BMP code point; the .notdef advance for others. */
  advance(codePoint: number): number;
}

function tables(buf: Buffer): Map<string, number> {
  const count = buf.readUInt16BE(4);
  const out = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const rec = 12 + i * 16;
    out.set(buf.toString("latin1", rec, rec + 4), buf.readUInt32BE(rec + 8));
  }
  return out;
}

/** Reads the metrics of a TrueType/OpenType font file; throws when a table it needs is missing. */
export function readFontMetrics(buf: Buffer): FontMetrics {
  const t = tables(buf);
  const head = t.get("head");
  const hhea = t.get("hhea");
  const hmtx = t.get("hmtx");
  const cmap = t.get("cmap");
  if (head === undefined || hhea === undefined || hmtx === undefined || cmap === undefined) {
    throw new Error("font without head/hhea/hmtx/cmap tables");
  }
  const unitsPerEm = buf.readUInt16BE(head + 18);
  const numberOfHMetrics = buf.readUInt16BE(hhea + 34);
  const advanceOfGlyph = (g: number) => buf.readUInt16BE(hmtx + 4 * Math.min(g, numberOfHMetrics - 1));

  // The Windows Unicode BMP subtable (platform 3, encoding 1), format 4.
  let sub = -1;
  const n = buf.readUInt16BE(cmap + 2);
  for (let i = 0; i < n; i++) {
    const rec = cmap + 4 + i * 8;
    const platform = buf.readUInt16BE(rec);
    const encoding = buf.readUInt16BE(rec + 2);
    const at = cmap + buf.readUInt32BE(rec + 4);
    if (((platform === 3 && encoding === 1) || platform === 0) && buf.readUInt16BE(at) === 4) {
      sub = at;
      break;
    }
  }
  if (sub < 0) throw new Error("font without a format 4 cmap");
  const segCount = buf.readUInt16BE(sub + 6) / 2;
  const endCodes = sub + 14;
  const startCodes = endCodes + 2 * segCount + 2;
  const idDeltas = startCodes + 2 * segCount;
  const idRangeOffsets = idDeltas + 2 * segCount;

  const glyphOf = (c: number): number => {
    for (let i = 0; i < segCount; i++) {
      if (buf.readUInt16BE(endCodes + 2 * i) < c) continue;
      const start = buf.readUInt16BE(startCodes + 2 * i);
      if (start > c) return 0;
      const delta = buf.readInt16BE(idDeltas + 2 * i);
      const rangeAt = idRangeOffsets + 2 * i;
      const range = buf.readUInt16BE(rangeAt);
      if (range === 0) return (c + delta) & 0xffff;
      const g = buf.readUInt16BE(rangeAt + range + 2 * (c - start));
      return g === 0 ? 0 : (g + delta) & 0xffff;
    }
    return 0;
  };
  const cache = new Map<number, number>();
  return {
    unitsPerEm,
    advance(codePoint) {
      let w = cache.get(codePoint);
      if (w === undefined) {
        w = advanceOfGlyph(codePoint > 0xffff ? 0 : glyphOf(codePoint));
        cache.set(codePoint, w);
      }
      return w;
    },
  };
}

export function loadFontMetrics(path: string): FontMetrics {
  return readFontMetrics(readFileSync(path));
}

/** Width in pixels of `text` set in `font` at `fontSize` px (no kerning: within a pixel or two). */
export function textWidth(font: FontMetrics, text: string, fontSize: number): number {
  let units = 0;
  for (const ch of text) units += font.advance(ch.codePointAt(0) ?? 0);
  return (units * fontSize) / font.unitsPerEm;
}
