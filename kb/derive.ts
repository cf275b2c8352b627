// Evidence → facts. Pure: the parsed inputs of one incident (and when each was taken) in, the facts
// that rules and templates read out. Every derived number says where it came from.
import type {
  BcdEntry,
  BootEntry,
  Estimate,
  EventRecord,
  HttperrSummary,
  ParsedInput,
  ParsedOf,
  PoolCounters,
  PoolmonSnapshot,
  PoolRow,
  ReasonDetail,
  TopEntry,
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

function minuteSpan(first: string | null, last: string | null): number | null {
  if (first === null || last === null) return null;
  const a = Date.parse(`${first.replace(" ", "T")}Z`);
  const b = Date.parse(`${last.replace(" ", "T")}Z`);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return null;
  return Math.round((b - a) / 60_000);
}

/** A top list of one summary and the most lines any value it leaves off can have. */
interface ListPart {
  top: TopEntry[];
  unlisted: number;
}

/**
 * The top list of several logs' lists: a value's count adds up its counts, and for a log whose list
 * lacks it, that log's `unlisted` (its overcount grows by as much). One list passes through as is.
 */
function mergeTops(parts: ListPart[]): TopEntry[] {
  if (parts.length === 1) return (parts[0] as ListPart).top;
  // key → [upper bound, lower bound, parts that list it]
  const bounds = new Map<string, [number, number, Set<number>]>();
  parts.forEach((p, i) => {
    for (const e of p.top) {
      const b = bounds.get(e.key) ?? [0, 0, new Set<number>()];
      b[0] += e.count;
      b[1] += e.count - e.overcount;
      b[2].add(i);
      bounds.set(e.key, b);
    }
  });
  return [...bounds]
    .map(([key, [count, lower, listed]]) => {
      const upper = parts.reduce((a, p, i) => (listed.has(i) ? a : a + p.unlisted), count);
      return { key, count: upper, overcount: upper - lower };
    })
    .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .slice(0, TOP_N);
}

/** The values worth naming: exact, or a count known to within half (a sketch's noise is not a finding). */
function telling(top: TopEntry[]): TopEntry[] {
  return top.filter((e) => e.count - e.overcount > e.overcount);
}

/**
 * Distinct values over several logs: one log's estimate as is; several logs may share values, so
 * the union lies between the largest and the sum, given as the middle with the half-width as error.
 */
function mergeDistinct(parts: Estimate[]): Estimate {
  if (parts.length === 1) return parts[0] as Estimate;
  const low = Math.max(0, ...parts.map((p) => p.estimate * (1 - p.relativeError)));
  const high = parts.reduce((a, p) => a + p.estimate * (1 + p.relativeError), 0);
  const estimate = Math.round((low + high) / 2);
  return {
    estimate,
    relativeError: estimate > 0 ? Math.ceil(((high - low) / 2 / estimate) * 1000) / 1000 : 0,
  };
}

/** 1234567 → "1,234,567" (no Intl: its first use costs a CLI run more than the whole template). */
function thousands(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+$)/g, ",");
}

/** "1,234 distinct clients", or "about 1.2 million distinct clients, ±2%" for an estimate. */
export function distinctText(d: Estimate, noun: string): string {
  const n = d.estimate;
  const nouns = n === 1 ? noun : `${noun}s`;
  if (d.relativeError === 0) return `${thousands(n)} distinct ${nouns}`;
  const about =
    n >= 1_000_000
      ? `${(n / 1_000_000).toFixed(1).replace(/\.0$/, "")} million`
      : thousands(Number(n.toPrecision(3)));
  const pct = d.relativeError * 100;
  const err = pct < 1 ? pct.toFixed(1) : String(Math.ceil(pct - 1e-9));
  return `about ${about} distinct ${nouns}, ±${err}%`;
}

type ReasonFact = NonNullable<Facts["httperr"]>["perReason"][string];

function reasonFacts(details: ReasonDetail[]): ReasonFact {
  let first: string | null = null;
  let last: string | null = null;
  for (const d of details) {
    if (d.firstTime !== null && (first === null || d.firstTime < first)) first = d.firstTime;
    if (d.lastTime !== null && (last === null || d.lastTime > last)) last = d.lastTime;
  }
  const topQueues = mergeTops(details.map((d) => ({ top: d.topQueues, unlisted: d.unlisted.queues })));
  const topSites = mergeTops(details.map((d) => ({ top: d.topSites, unlisted: d.unlisted.sites })));
  return {
    count: details.reduce((a, d) => a + d.count, 0),
    firstTime: first,
    lastTime: last,
    durationMinutes: minuteSpan(first, last),
    topQueues,
    topQueue: topQueues[0]?.key ?? null,
    topSites,
    topSite: topSites[0]?.key ?? null,
    topUris: telling(mergeTops(details.map((d) => ({ top: d.topUris, unlisted: d.unlisted.uris })))),
  };
}

function httperrFacts(summaries: HttperrSummary[]): Facts["httperr"] {
  if (summaries.length === 0) return null;
  const reasons: Record<string, number> = {};
  const statuses: Record<string, number> = {};
  const perMinute: Record<string, number> = {};
  const details = new Map<string, ReasonDetail[]>();
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
    for (const [k, d] of Object.entries(s.byReasonDetail)) {
      const key = canonicalReason(k);
      details.set(key, [...(details.get(key) ?? []), d]);
    }
    if (s.firstTime !== null && (first === null || s.firstTime < first)) first = s.firstTime;
    if (s.lastTime !== null && (last === null || s.lastTime > last)) last = s.lastTime;
  }
  const records = Object.values(reasons).reduce((a, b) => a + b, 0);
  const reasonShare: Record<string, number> = {};
  for (const [k, v] of Object.entries(reasons)) reasonShare[k] = records > 0 ? v / records : 0;
  const topQueues = mergeTops(summaries.map((s) => ({ top: s.topQueues, unlisted: s.unlisted.queues })));
  const distinctClients = mergeDistinct(summaries.map((s) => s.distinctClients));
  const distinctUris = mergeDistinct(summaries.map((s) => s.distinctUris));
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
    peakRefusalsPerMinute: Math.max(0, ...Object.values(perMinute)),
    topClients: telling(
      mergeTops(summaries.map((s) => ({ top: s.topClients, unlisted: s.unlisted.clients }))),
    ),
    topUris: telling(mergeTops(summaries.map((s) => ({ top: s.topUris, unlisted: s.unlisted.uris })))),
    topQueues,
    topQueue: topQueues[0]?.key ?? null,
    distinctClients,
    distinctUris,
    distinctClientsText: distinctText(distinctClients, "client"),
    distinctUrisText: distinctText(distinctUris, "URI"),
    perReason: Object.fromEntries([...details].map(([k, list]) => [k, reasonFacts(list)])),
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
  for (const e of events) {
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
  return { ids, bySource, messages, sources: [...sources].sort() };
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
    },
    httperr: httperrFacts(summaries),
    events: eventFacts(events),
    kinds: [...new Set(inputs.map((t) => t.input.kind))].sort(),
  };
}
