// Evidence → facts. Pure: the parsed inputs of one incident (and when each was taken) in, the facts
// that rules and templates read out. Every derived number says where it came from.
import type {
  BcdEntry,
  BootEntry,
  EventRecord,
  HttperrSummary,
  ParsedInput,
  ParsedOf,
  PoolCounters,
  PoolmonSnapshot,
  PoolRow,
} from "../parsers/evidence.js";
import { FILTER_CATEGORIES, type OsFamily, type PoolLimitRule } from "./data-schema.js";
import type { Facts, GrowthFact, TagFact } from "./facts.js";
import { canonicalReason } from "./ids.js";
import type { KnowledgeBase } from "./load.js";

/** A parsed input and when it was captured (Slack message time, file time), when known. */
export interface TimedInput {
  input: ParsedInput;
  at?: number;
}

const KB_PER_MB = 1024;
const BYTES_PER_MB = 1024 * 1024;
const TOP_TAGS = 5;
const TOP_N = 10;
const TIMELINE_MAX = 100;

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

function ofKind<K extends ParsedInput["kind"]>(
  inputs: TimedInput[],
  kind: K,
): Array<TimedInput & { input: ParsedOf<K> }> {
  return inputs.filter((t): t is TimedInput & { input: ParsedOf<K> } => t.input.kind === kind);
}

// ---------- OS, architecture and boot switches ----------

interface BootChoice {
  description: string;
  source: string;
  threeGb: boolean;
  userVaMb: number | null;
  pae: boolean | null;
  switchesText: string;
  generationHint: "nt5" | "nt6";
  archHint: "x86" | "x64" | null;
}

function fromBootIni(entry: BootEntry): BootChoice {
  const s = entry.switches;
  const userVa = typeof s.USERVA === "number" ? s.USERVA : null;
  const text = Object.entries(s)
    .map(([k, v]) => (v === true ? `/${k}` : `/${k}=${v}`))
    .join(" ");
  const is64 = /x64|64-bit|itanium|ia64/i.test(entry.description);
  return {
    description: entry.description,
    source: "boot.ini",
    threeGb: s["3GB"] === true,
    userVaMb: userVa,
    pae: s.PAE === true ? true : s.NOPAE === true ? false : null,
    switchesText: text,
    generationHint: "nt5",
    // boot.ini boots x86 unless the description says x64; /3GB and /PAE only exist on x86.
    archHint: is64 ? "x64" : "x86",
  };
}

function fromBcd(entry: BcdEntry): BootChoice {
  const userVaText = entry.settings.increaseuserva;
  const userVa = userVaText !== undefined ? Number.parseInt(userVaText, 10) : Number.NaN;
  const pae = entry.settings.pae;
  const x86Only = userVaText !== undefined || pae !== undefined;
  return {
    description: entry.description ?? "Windows",
    source: "bcdedit",
    threeGb: Number.isFinite(userVa) && userVa > 2048,
    userVaMb: Number.isFinite(userVa) ? userVa : null,
    pae: pae === undefined ? null : /force ?enable/i.test(pae),
    switchesText: Object.entries(entry.settings)
      .filter(([k]) => ["increaseuserva", "pae", "nx", "removememory", "truncatememory"].includes(k))
      .map(([k, v]) => `${k} ${v}`)
      .join(", "),
    generationHint: "nt6",
    archHint: x86Only ? "x86" : null,
  };
}

function chooseBoot(inputs: TimedInput[]): BootChoice | null {
  for (const { input } of ofKind(inputs, "boot-ini")) {
    const entry = input.boot.entries.find((e) => e.isDefault) ?? input.boot.entries[0];
    if (entry) return fromBootIni(entry);
  }
  for (const { input } of ofKind(inputs, "bcdedit")) {
    const loaders = input.entries.filter((e) => /loader/i.test(e.type));
    const entry = loaders.find((e) => e.isDefault) ?? loaders[0];
    if (entry) return fromBcd(entry);
  }
  return null;
}

function familyOf(description: string, families: OsFamily[]): OsFamily | null {
  const lower = description.toLowerCase();
  // Longest match first, so "server 2008 r2" wins over "server 2008".
  let best: { family: OsFamily; length: number } | null = null;
  for (const family of families) {
    for (const m of family.match) {
      if (lower.includes(m) && (best === null || m.length > best.length)) best = { family, length: m.length };
    }
  }
  return best?.family ?? null;
}

// ---------- the non-paged pool limit ----------

interface LimitQuery {
  generation: "nt5" | "nt6";
  family: string | null;
  arch: "x86" | "x64" | "ia64";
  threeGb: boolean;
  userVa: boolean;
  ramMb: number | null;
}

function ruleApplies(rule: PoolLimitRule, q: LimitQuery): boolean {
  if (rule.generation !== q.generation || rule.arch !== q.arch) return false;
  if (rule.families.length > 0 && (q.family === null || !rule.families.includes(q.family))) return false;
  if (rule.threeGb !== undefined && rule.threeGb !== q.threeGb) return false;
  if (rule.userVa !== undefined && rule.userVa !== q.userVa) return false;
  if (rule.ramMbMin !== undefined && (q.ramMb === null || q.ramMb < rule.ramMbMin)) return false;
  if (rule.ramMbMax !== undefined && (q.ramMb === null || q.ramMb >= rule.ramMbMax)) return false;
  return true;
}

function limitOf(rule: PoolLimitRule, ramMb: number | null): number | null {
  if (rule.limitMb !== undefined) return rule.limitMb;
  if (ramMb === null || rule.fractionOfRam === undefined) return null;
  let mb = ramMb * rule.fractionOfRam;
  if (rule.capMb !== undefined) mb = Math.min(mb, rule.capMb);
  if (rule.floorMb !== undefined) mb = Math.max(mb, rule.floorMb);
  return Math.round(mb);
}

export function deriveLimit(
  kb: KnowledgeBase,
  q: LimitQuery,
): { rule: PoolLimitRule; limitMb: number } | null {
  for (const rule of kb.poolLimits.rules) {
    if (!ruleApplies(rule, q)) continue;
    const limitMb = limitOf(rule, q.ramMb);
    if (limitMb !== null) return { rule, limitMb };
  }
  return null;
}

// ---------- pool tags ----------

function describeTag(kb: KnowledgeBase, row: PoolRow, poolMb: number | null): TagFact {
  const mb = round1(row.bytes / BYTES_PER_MB);
  const share = poolMb && poolMb > 0 ? Math.min(1, row.bytes / BYTES_PER_MB / poolMb) : null;
  const known = kb.tags.get(row.tag);
  const base = {
    tag: row.tag,
    type: row.type,
    mb,
    share: share === null ? null : Math.round(share * 1000) / 1000,
    findDriverCommand: null,
  };
  if (known) {
    return {
      ...base,
      driver: known.driver,
      vendor: known.vendor,
      product: known.product ?? null,
      category: known.category,
      known: "table",
      referenceUrl: known.source,
    };
  }
  const mapped = row.mappedDriver?.match(/[\w.-]+\.sys/i)?.[0] ?? null;
  if (mapped) {
    const key = mapped.toLowerCase();
    const byDriver = kb.drivers.get(key) ?? kb.tagsByDriver.get(key)?.[0];
    return {
      ...base,
      driver: mapped,
      vendor: byDriver?.vendor ?? null,
      product: byDriver?.product ?? null,
      category: byDriver?.category ?? null,
      known: "mapped-driver",
      referenceUrl: byDriver?.source ?? null,
    };
  }
  return {
    ...base,
    driver: null,
    vendor: null,
    product: null,
    category: null,
    known: "unknown",
    referenceUrl: null,
    // Tags are case-sensitive and sit in the driver binary as plain ASCII.
    findDriverCommand: `findstr /m /l /c:"${row.tag}" %SystemRoot%\\System32\\drivers\\*.sys`,
  };
}

function nonpagedKbOf(s: PoolmonSnapshot): number {
  if (s.header.nonpagedKb !== null) return s.header.nonpagedKb;
  return s.rows.filter((r) => r.type === "Nonp").reduce((sum, r) => sum + r.bytes, 0) / 1024;
}

function growthBetween(
  kb: KnowledgeBase,
  first: PoolmonSnapshot,
  last: PoolmonSnapshot,
  minutes: number,
): GrowthFact[] {
  const before = new Map(first.rows.map((r) => [`${r.type}|${r.tag}`, r]));
  const out: GrowthFact[] = [];
  for (const row of last.rows) {
    const prev = before.get(`${row.type}|${row.tag}`);
    if (!prev || row.bytes <= prev.bytes) continue;
    const fromMb = prev.bytes / BYTES_PER_MB;
    const toMb = row.bytes / BYTES_PER_MB;
    const info = describeTag(kb, row, null);
    out.push({
      tag: row.tag,
      type: row.type,
      fromMb: round1(fromMb),
      toMb: round1(toMb),
      minutes: round1(minutes),
      mbPerHour: round1(((toMb - fromMb) * 60) / minutes),
      vendor: info.vendor,
      driver: info.driver,
    });
  }
  return out.sort((a, b) => b.mbPerHour - a.mbPerHour).slice(0, TOP_TAGS);
}

/**
 * Reads the times people paste above a snapshot: ISO (`2024-03-01 09:00:04`) or the US short
 * form `cmd`'s `%date% %time%` prints (`03/01/2024  9:00:04.17`, `3/1/2024 9:00 PM`). Only the
 * difference between two snapshots matters, so the time zone is irrelevant (read as UTC).
 */
export function parseLooseTime(text: string): number | null {
  const iso = /(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?(?:[.,](\d+))?/.exec(text);
  const us =
    /(\d{1,2})[/.](\d{1,2})[/.](\d{2,4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:[.,](\d+))?\s?([AaPp][Mm])?/.exec(
      text,
    );
  let parts: number[];
  if (iso) {
    parts = [iso[1], iso[2], iso[3], iso[4], iso[5], iso[6] ?? "0"].map(Number);
  } else if (us) {
    const year = Number(us[3]) < 100 ? 2000 + Number(us[3]) : Number(us[3]);
    let hour = Number(us[4]) % 12;
    if (us[8] === undefined) hour = Number(us[4]);
    else if (/p/i.test(us[8])) hour += 12;
    parts = [year, Number(us[1]), Number(us[2]), hour, Number(us[5]), Number(us[6] ?? "0")];
  } else {
    return null;
  }
  const [y = 0, mo = 1, d = 1, h = 0, mi = 0, sec = 0] = parts;
  const t = Date.UTC(y, mo - 1, d, h, mi, sec);
  return Number.isFinite(t) ? t : null;
}

function snapshotTime(s: PoolmonSnapshot, at: number | undefined): number | null {
  return (s.time === null ? null : parseLooseTime(s.time)) ?? at ?? null;
}

export function formatDuration(hours: number): string {
  const totalMinutes = Math.max(1, Math.round(hours * 60));
  const days = Math.floor(totalMinutes / 1440);
  const h = Math.floor((totalMinutes % 1440) / 60);
  const m = totalMinutes % 60;
  if (days > 0) return `${days} d ${h} h`;
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  return `${m} min`;
}

// ---------- HTTPERR ----------

function addCounts(into: Record<string, number>, from: Record<string, number>, key = (k: string) => k): void {
  for (const [k, v] of Object.entries(from)) {
    const kk = key(k);
    into[kk] = (into[kk] ?? 0) + v;
  }
}

function topOf(counts: Record<string, number>, n = TOP_N): Array<{ key: string; count: number }> {
  return Object.entries(counts)
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key))
    .slice(0, n);
}

function minuteSpan(first: string | null, last: string | null): number | null {
  if (first === null || last === null) return null;
  const a = Date.parse(`${first.replace(" ", "T")}Z`);
  const b = Date.parse(`${last.replace(" ", "T")}Z`);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return null;
  return Math.round((b - a) / 60_000);
}

function httperrFacts(summaries: HttperrSummary[]): Facts["httperr"] {
  if (summaries.length === 0) return null;
  const reasons: Record<string, number> = {};
  const statuses: Record<string, number> = {};
  const perMinute: Record<string, number> = {};
  const status503: Record<string, number> = {};
  const clients: Record<string, number> = {};
  const uris: Record<string, number> = {};
  const queues: Record<string, number> = {};
  let lines = 0;
  let refused = 0;
  let first: string | null = null;
  let last: string | null = null;
  for (const s of summaries) {
    lines += s.lines;
    refused += s.refusedConnections;
    addCounts(reasons, s.byReason, canonicalReason);
    addCounts(statuses, s.byStatus);
    addCounts(perMinute, s.refusalsPerMinute);
    addCounts(status503, s.status503PerMinute);
    // The summaries keep only their top N; summing those is exact for the top few of one log
    // and a close estimate across logs.
    for (const c of s.topClients) clients[c.key] = (clients[c.key] ?? 0) + c.count;
    for (const c of s.topUris) uris[c.key] = (uris[c.key] ?? 0) + c.count;
    for (const c of s.topQueues) queues[c.key] = (queues[c.key] ?? 0) + c.count;
    if (s.firstTime !== null && (first === null || s.firstTime < first)) first = s.firstTime;
    if (s.lastTime !== null && (last === null || s.lastTime > last)) last = s.lastTime;
  }
  const records = Object.values(reasons).reduce((a, b) => a + b, 0);
  const reasonShare: Record<string, number> = {};
  for (const [k, v] of Object.entries(reasons)) reasonShare[k] = records > 0 ? v / records : 0;
  const topQueues = topOf(queues);
  return {
    lines,
    reasons,
    reasonShare,
    statuses,
    firstTime: first,
    lastTime: last,
    durationMinutes: minuteSpan(first, last),
    refusedConnections: refused,
    refusalsPerMinute: perMinute,
    status503PerMinute: status503,
    peakRefusalsPerMinute: Math.max(0, ...Object.values(perMinute)),
    topClients: topOf(clients),
    topUris: topOf(uris),
    topQueues,
    topQueue: topQueues[0]?.key ?? null,
  };
}

/** `Microsoft-Windows-IIS-W3SVC-WP` → `w3svc`, `Microsoft-Windows-HttpEvent` → `http`, `Srv` → `srv`. */
export function shortEventSource(source: string): string {
  const short = source
    .toLowerCase()
    .replace(/^microsoft-windows-/, "")
    .replace(/^iis-/, "")
    .replace(/-wp$/, "");
  return short === "httpevent" ? "http" : short;
}

function eventFacts(events: EventRecord[]): Facts["events"] {
  if (events.length === 0) return null;
  const ids: Record<string, number> = {};
  const bySource: Record<string, Record<string, number>> = {};
  const messages: Record<string, string> = {};
  const sources = new Set<string>();
  const timeline: Array<{ id: number; source: string | null; time: string }> = [];
  for (const e of events) {
    if (e.time !== null && timeline.length < TIMELINE_MAX)
      timeline.push({ id: e.id, source: e.source, time: e.time });
    const key = String(e.id);
    ids[key] = (ids[key] ?? 0) + 1;
    if (messages[key] === undefined) messages[key] = e.message.slice(0, 300);
    if (e.source) {
      sources.add(e.source);
      const short = shortEventSource(e.source);
      const counts = bySource[short] ?? {};
      counts[key] = (counts[key] ?? 0) + 1;
      bySource[short] = counts;
    }
  }
  return { ids, bySource, messages, sources: [...sources].sort(), timeline };
}

// ---------- all together ----------

export function deriveFacts(kb: KnowledgeBase, inputs: TimedInput[]): Facts {
  const thresholdMb = kb.poolLimits.httpSysThreshold.mb;
  const boot = chooseBoot(inputs);
  const family = boot ? familyOf(boot.description, kb.poolLimits.families) : null;
  const snapshots = ofKind(inputs, "poolmon").map((t) => ({ snapshot: t.input.snapshot, at: t.at }));
  const counters: PoolCounters[] = ofKind(inputs, "pool-counters").map((t) => t.input.counters);
  const lastSnapshot = snapshots.at(-1)?.snapshot ?? null;

  const generation =
    family?.generation ?? boot?.generationHint ?? (lastSnapshot?.tool === "legacy" ? "nt5" : null);
  const arch = boot?.archHint ?? null;

  const measured = counters.findLast((c) => c.nonpagedMaxKb !== null);
  const ramKb =
    counters.findLast((c) => c.physicalMemoryKb !== null)?.physicalMemoryKb ??
    lastSnapshot?.header.memoryKb ??
    null;
  const ramMb = ramKb === null ? null : Math.round(ramKb / KB_PER_MB);

  let limitMb: number | null = null;
  let limitSource: "measured" | "derived" | null = null;
  let limitRule: PoolLimitRule | null = null;
  let limitWithout3GbMb: number | null = null;
  if (measured?.nonpagedMaxKb != null) {
    limitMb = round1(measured.nonpagedMaxKb / KB_PER_MB);
    limitSource = "measured";
  } else if (generation !== null && arch !== null) {
    const query: LimitQuery = {
      generation,
      family: family?.family ?? null,
      arch,
      threeGb: boot?.threeGb ?? false,
      userVa: boot?.userVaMb != null,
      ramMb,
    };
    const found = deriveLimit(kb, query);
    if (found) {
      limitMb = found.limitMb;
      limitSource = "derived";
      limitRule = found.rule;
      if (query.threeGb) {
        const without = deriveLimit(kb, { ...query, threeGb: false, userVa: false });
        if (without && without.limitMb > found.limitMb) limitWithout3GbMb = without.limitMb;
      }
    }
  }

  // Used: measured counters first, then poolmon's own header, then the sum of its rows.
  const usedCounter = counters.findLast((c) => c.nonpagedUsedKb !== null);
  let usedMb: number | null = null;
  let usedSource: string | null = null;
  if (usedCounter?.nonpagedUsedKb != null) {
    usedMb = round1(usedCounter.nonpagedUsedKb / KB_PER_MB);
    usedSource = usedCounter.origin;
  } else if (lastSnapshot) {
    usedMb = round1(nonpagedKbOf(lastSnapshot) / KB_PER_MB);
    usedSource =
      lastSnapshot.header.nonpagedKb !== null ? "poolmon header (Pool N:)" : "sum of poolmon Nonp rows";
  }
  const freeMb = limitMb !== null && usedMb !== null ? round1(limitMb - usedMb) : null;
  const pagedKb =
    counters.findLast((c) => c.pagedUsedKb !== null)?.pagedUsedKb ?? lastSnapshot?.header.pagedKb ?? null;
  const pagedUsedMb = pagedKb === null ? null : round1(pagedKb / KB_PER_MB);

  const rowsOf = (type: "Nonp" | "Paged") =>
    (lastSnapshot?.rows ?? []).filter((r) => r.type === type).sort((a, b) => b.bytes - a.bytes);
  const nonpagedRows = rowsOf("Nonp");
  const topNonpaged = nonpagedRows.slice(0, TOP_TAGS).map((r) => describeTag(kb, r, usedMb));
  const topPaged = rowsOf("Paged")
    .slice(0, TOP_TAGS)
    .map((r) => describeTag(kb, r, pagedUsedMb));
  const largestFilterTag =
    nonpagedRows
      .map((r) => describeTag(kb, r, usedMb))
      .find((t) => t.category !== null && FILTER_CATEGORIES.has(t.category)) ?? null;

  let growth: GrowthFact[] = [];
  let hoursToThreshold: number | null = null;
  const firstTimed = snapshots[0];
  const lastTimed = snapshots.at(-1);
  if (firstTimed && lastTimed && firstTimed !== lastTimed) {
    const t0 = snapshotTime(firstTimed.snapshot, firstTimed.at);
    const t1 = snapshotTime(lastTimed.snapshot, lastTimed.at);
    if (t0 !== null && t1 !== null && t1 > t0) {
      const minutes = (t1 - t0) / 60_000;
      growth = growthBetween(kb, firstTimed.snapshot, lastTimed.snapshot, minutes);
      const totalMbPerHour =
        ((nonpagedKbOf(lastTimed.snapshot) - nonpagedKbOf(firstTimed.snapshot)) / KB_PER_MB) * (60 / minutes);
      if (freeMb !== null && totalMbPerHour > 0) {
        hoursToThreshold = Math.max(0, (freeMb - thresholdMb) / totalMbPerHour);
      }
    }
  }

  // Pool in use at each timed snapshot: what the charts plot (the printed time first, as growth does).
  const poolSamples = snapshots.flatMap(({ snapshot, at }) => {
    const printed = snapshot.time === null ? null : parseLooseTime(snapshot.time);
    const t = printed ?? at ?? null;
    if (t === null) return [];
    const pagedKbAt = snapshot.header.pagedKb;
    return [
      {
        t: new Date(t).toISOString(),
        clock: printed !== null ? ("server" as const) : ("utc" as const),
        nonpagedMb: round1(nonpagedKbOf(snapshot) / KB_PER_MB),
        pagedMb: pagedKbAt === null ? null : round1(pagedKbAt / KB_PER_MB),
      },
    ];
  });

  const summaries = ofKind(inputs, "httperr").map((t) => t.input.summary);
  const events = ofKind(inputs, "event").flatMap((t) => t.input.events);

  return {
    os: {
      family: family?.family ?? null,
      name: boot?.description ?? null,
      arch,
      source: boot?.source ?? null,
    },
    boot: {
      threeGb: boot ? boot.threeGb : null,
      userVaMb: boot?.userVaMb ?? null,
      pae: boot?.pae ?? null,
      source: boot?.source ?? null,
      entry: boot?.description ?? null,
      switchesText: boot?.switchesText ?? null,
    },
    pool: {
      thresholdMb,
      limitMb,
      limitSource,
      limitRule: limitRule?.id ?? null,
      limitRuleText: limitRule?.description ?? (limitSource === "measured" ? "measured" : null),
      limitReference: limitRule?.reference.url ?? null,
      limitWithout3GbMb,
      usedMb,
      usedSource,
      freeMb,
      headroomMb: freeMb === null ? null : round1(freeMb - thresholdMb),
      usedShare:
        limitMb !== null && usedMb !== null && limitMb > 0 ? round1((usedMb / limitMb) * 100) / 100 : null,
      pagedUsedMb,
      ramMb,
      topNonpaged,
      topPaged,
      largestFilterTag,
      growth,
      hoursToThreshold: hoursToThreshold === null ? null : round1(hoursToThreshold),
      hoursToThresholdText: hoursToThreshold === null ? null : formatDuration(hoursToThreshold),
      snapshots: snapshots.length,
      samples: poolSamples,
    },
    httperr: httperrFacts(summaries),
    events: eventFacts(events),
    kinds: [...new Set(inputs.map((t) => t.input.kind))].sort(),
  };
}
