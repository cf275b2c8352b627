// HTTPERR per minute by the reasons that matter (refused connections, 503s…), with the incident's
// events marked where their times are known.
import type { EventMarker, HttperrPerMinuteInput, Series } from "../series.js";
import { isoUtc, MINUTE_MS, ms } from "../time.js";
import {
  type BuiltChart,
  DASH_EVENT,
  EVENT_COLOUR,
  type Layer,
  layered,
  seriesLayer,
  xDomain,
  xEncoding,
  yDomain,
  yEncoding,
} from "./common.js";

/** Events this far outside the minutes with data are left out (they would squash the burst). */
const EVENT_WINDOW_MS = 30 * MINUTE_MS;
/** Lines drawn without gaps over at most this many minutes (a day); longer spans keep their samples. */
const MAX_FILLED_MINUTES = 24 * 60;
/** At most this many events are marked (the earliest); the note counts the others. */
const MAX_EVENTS = 12;
/** Event labels are staggered over this many rows so that close events stay readable. */
const LABEL_ROWS = 3;

/**
 * Every minute from the first to the last sample of any series, with 0 where a series had no line:
 * a minute without a refusal is a drop to zero, not a straight line to the next burst.
 */
export function fillMinutes(series: Series[]): Series[] {
  const all = series.flatMap((s) => s.samples.map((p) => Math.floor(ms(p.t) / MINUTE_MS) * MINUTE_MS));
  if (all.length === 0) return series;
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  const minutes = (hi - lo) / MINUTE_MS + 1;
  if (minutes > MAX_FILLED_MINUTES) return series;
  return series.map((s) => {
    const byMinute = new Map<number, number>();
    for (const p of s.samples) {
      const m = Math.floor(ms(p.t) / MINUTE_MS) * MINUTE_MS;
      byMinute.set(m, (byMinute.get(m) ?? 0) + p.value);
    }
    const samples = Array.from({ length: minutes }, (_, i) => {
      const t = lo + i * MINUTE_MS;
      return { t: isoUtc(t), value: byMinute.get(t) ?? 0 };
    });
    return { ...s, samples };
  });
}

/** The events within the window around the data (the first MAX_EVENTS), and how many were left out. */
export function eventsInWindow(
  events: EventMarker[],
  lo: number,
  hi: number,
): { shown: EventMarker[]; left: number } {
  const shown = events
    .filter((e) => ms(e.t) >= lo - EVENT_WINDOW_MS && ms(e.t) <= hi + EVENT_WINDOW_MS)
    .sort((a, b) => ms(a.t) - ms(b.t))
    .slice(0, MAX_EVENTS);
  return { shown, left: events.length - shown.length };
}

export function httperrPerMinuteSpec(input: HttperrPerMinuteInput): BuiltChart {
  const series = fillMinutes(input.series).filter((s) => s.samples.length > 0);
  const names = series.map((s) => s.name);
  const rows = series.flatMap((s) => s.samples.map((p) => ({ t: p.t, value: p.value, series: s.name })));
  const times = rows.map((r) => ms(r.t));
  const lo = Math.min(...times);
  const hi = Math.max(...times);
  const { shown, left } = eventsInWindow(input.events, lo, hi);
  const x = xEncoding(xDomain([...times, ...shown.map((e) => ms(e.t))]), input.clock);
  const y = yEncoding(yDomain(rows.map((r) => r.value)), "Count per minute");
  const layers: Layer[] = [seriesLayer(rows, names, x, y, null)];
  if (shown.length > 0) {
    const marks = shown.map((e, i) => ({ t: e.t, label: e.label, row: i % LABEL_ROWS }));
    layers.push(
      {
        data: { values: marks },
        mark: { type: "rule", color: EVENT_COLOUR, strokeWidth: 2, strokeDash: DASH_EVENT },
        encoding: { x },
      },
      {
        data: { values: marks },
        transform: [{ calculate: "4 + datum.row * 14", as: "labelY" }],
        mark: { type: "text", align: "left", baseline: "top", dx: 4, fontSize: 10, color: EVENT_COLOUR },
        encoding: {
          x,
          y: { field: "labelY", type: "quantitative", scale: null },
          text: { field: "label" },
        },
      },
    );
  }
  const notes = [input.note, left > 0 ? `${left} more event(s) not marked` : null].filter(
    (n): n is string => n !== null,
  );
  const title = "HTTPERR per minute";
  const description = `${title}: ${series
    .map((s) => `${s.name}, peak ${Math.max(0, ...s.samples.map((p) => p.value))}`)
    .join("; ")}${shown.length > 0 ? `; events: ${shown.map((e) => e.label).join(", ")}` : ""}.`;
  return {
    kind: "httperr-per-minute",
    name: "httperr-per-minute",
    title,
    description,
    spec: layered(title, notes.length > 0 ? notes.join(". ") : null, layers),
  };
}
