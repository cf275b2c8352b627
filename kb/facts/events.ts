// Event Log facts: how often each event id was logged, by source, with the first message of each.
import { z } from "zod";
import type { EventRecord } from "../../parsers/evidence.js";
import type { WorkerExit } from "../data-schema.js";
import { ofKind } from "./inputs.js";
import { defineSubject, NO_NEEDS } from "./subject.js";

const MESSAGE_CHARS = 300;
const TIMELINE_MAX = 100;

export const EventFacts = z.object({
  /** Event id → count. */
  ids: z.record(z.string(), z.number().int()),
  /**
   * Short source name → event id → count (`w3svc` → `1011` → 2), for ids that several sources
   * share. Short names drop `Microsoft-Windows-` and `IIS-` (`Microsoft-Windows-WAS` → `was`).
   */
  bySource: z.record(z.string(), z.record(z.string(), z.number().int())),
  /** Event id → the first message seen, for evidence. */
  messages: z.record(z.string(), z.string()),
  sources: z.array(z.string()),
  /**
   * Worker-process exits by kind (kb/data/event-ids.yaml `workerExits`): crashes (WAS 5009/5011,
   * W3SVC 1009/1011, Application Error 1000 and .NET Runtime 1026 naming w3wp) and hangs (WAS 5010,
   * W3SVC 1010: no answer to WAS's ping). A hang is told from a crash by these.
   */
  workerCrashes: z.number().int(),
  workerHangs: z.number().int(),
  /** Events with a time, as printed (the server's clock), in input order, at most 100: for charts. */
  timeline: z.array(z.object({ id: z.number().int(), source: z.string().nullable(), time: z.string() })),
});

/** `Microsoft-Windows-IIS-W3SVC-WP` → `w3svc`, `Microsoft-Windows-HttpEvent` → `http`, `Srv` → `srv`. */
export function shortEventSource(source: string): string {
  const short = source
    .toLowerCase()
    .replace(/^microsoft-windows-/, "")
    .replace(/^iis-/, "")
    .replace(/-wp$/, "");
  return short === "httpevent" ? "http" : short;
}

/** The worker exit an event reports, by id and short source (and, for generic events, its message). */
function exitOf(e: EventRecord, exits: ReadonlyArray<WorkerExit>): WorkerExit | undefined {
  const source = e.source === null ? null : shortEventSource(e.source);
  return exits.find(
    (x) =>
      x.id === e.id &&
      (source === null || shortEventSource(x.source) === source) &&
      (x.messageNames === undefined || e.message.toLowerCase().includes(x.messageNames.toLowerCase())),
  );
}

function eventFacts(
  events: EventRecord[],
  exits: ReadonlyArray<WorkerExit>,
): z.infer<typeof EventFacts> | null {
  if (events.length === 0) return null;
  const ids: Record<string, number> = {};
  const bySource: Record<string, Record<string, number>> = {};
  const messages: Record<string, string> = {};
  const sources = new Set<string>();
  const timeline: Array<{ id: number; source: string | null; time: string }> = [];
  let workerCrashes = 0;
  let workerHangs = 0;
  for (const e of events) {
    const exit = exitOf(e, exits);
    if (exit?.means === "crash") workerCrashes += 1;
    if (exit?.means === "hang") workerHangs += 1;
    if (e.time !== null && timeline.length < TIMELINE_MAX)
      timeline.push({ id: e.id, source: e.source, time: e.time });
    const key = String(e.id);
    ids[key] = (ids[key] ?? 0) + 1;
    if (messages[key] === undefined) messages[key] = e.message.slice(0, MESSAGE_CHARS);
    if (e.source) {
      sources.add(e.source);
      const short = shortEventSource(e.source);
      const counts = bySource[short] ?? {};
      counts[key] = (counts[key] ?? 0) + 1;
      bySource[short] = counts;
    }
  }
  return { ids, bySource, messages, sources: [...sources].sort(), workerCrashes, workerHangs, timeline };
}

export const eventSubject = defineSubject({
  doc: "Event Log entries: counts by event id and by source, and the first message of each id.",
  schema: z.object({ events: EventFacts.nullable() }),
  needs: NO_NEEDS,
  derive: ({ kb, inputs }) => ({
    events: eventFacts(
      ofKind(inputs, "event").flatMap((t) => t.payload),
      kb.workerExits,
    ),
  }),
});
