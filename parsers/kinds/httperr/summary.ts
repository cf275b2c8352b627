// The HTTPERR summary, in one place. SummaryAccumulator counts records, whether they come as byte
// ranges of a line (the scanner's fast path) or as parsed records (the simple parser, the scanner's
// slow path, which both go through the same byte path), and exports a mergeable ScanPartial;
// finishSummary turns a (merged) partial into the HttperrSummary. Semantics:
// - `lines` counts records, `skipped` lines that were not records (cut short, malformed);
// - `byReason` counts records per reason phrase (see reasonKey), `byStatus`/`bySite`/`byQueue` per
//   value; `-` (null) is not counted; these stay exact;
// - `firstTime`/`lastTime` are the earliest and latest `date time` (not file order, so that
//   concatenated logs give the real span), and the same per reason in `byReasonDetail`;
// - `refusalsPerMinute` adds refusalCount(reason) per minute, `status503PerMinute` counts records
//   with status 503 per minute; records without date and time are left out of both (exact);
// - top lists hold the 10 most frequent non-null values, ties broken by key. Clients and URIs (and
//   the URIs of each reason) come from heavy-hitters sketches (sketch.ts): each entry's
//   `count` is an upper bound and `overcount` says how far above the truth it may be (0: exact);
//   `unlisted` bounds what any value left off a list can have. Queues and sites are exact;
// - `distinctClients`/`distinctUris`: exact while the sketches hold every value, else HyperLogLog
//   estimates with their relative error.
// Every number is a sum, a min, a max or a mergeable sketch, so byte ranges scanned in parallel
// merge to one summary (equal to the sequential one while the sketches are exact, within the
// stated bounds after that).

import { isClockTime, isDigits, isIsoDate } from "../../text.js";
import type { HttperrRecord, HttperrSummary, ReasonDetail, TopEntry } from "./schema.js";
import {
  distinctOf,
  emptyHeavy,
  grown,
  HeavyHitters,
  type HeavyState,
  heavyKeys,
  KeyIds,
  mergeHeavy,
  mergeHllInto,
  newHll,
  unionHeavy,
} from "./sketch.js";

/** How many entries the top-N lists of the summary keep. */
export const TOP_N = 10;
/**
 * The client sketch counts up to 4,096 clients exactly; past that it holds 1,024, so that it stays
 * in cache: every client with more than N/512 of the N lines is listed, within N/512.
 */
export const CLIENT_KEYS = 4096;
export const CLIENT_SKETCH_KEYS = 1024;
/**
 * Each reason's URI sketch counts up to 2,048 URIs exactly, then holds 512 (bound N_reason/256). The
 * log's top URIs are the union of its reasons' sketches: bound Σ N_reason/256 = N/256.
 */
export const REASON_URI_KEYS = 2048;
export const REASON_URI_SKETCH_KEYS = 512;
/** byReason key of the lines whose reason is `-` (never a phrase): counted in the log's lists only. */
const NO_REASON = "-";

const REFUSED = "connections_refused";
/** The longest N of `N_Connections_Refused` read as a count (up to 999,999,999). */
const MAX_FOLD_DIGITS = 9;

/**
 * Refused connections a reason phrase stands for: http.sys folds a burst of refusals into one line
 * `N_Connections_Refused`, so that line counts N; a plain `Connections_Refused` counts 1; any other
 * reason 0. An N of ten digits or more counts 1.
 */
export function refusalCount(reason: string | null | undefined): number {
  if (!reason) return 0;
  const lower = reason.toLowerCase();
  if (lower === REFUSED) return 1;
  const us = lower.indexOf("_");
  if (us > 0 && lower.slice(us + 1) === REFUSED && isDigits(lower.slice(0, us))) {
    // A count of ten digits or more is no real burst (and sums of it would leave the safe integers
    // the summary's schema promises): the line still counts, once.
    return us <= MAX_FOLD_DIGITS ? Number(lower.slice(0, us)) : 1;
  }
  return 0;
}

/**
 * The reason phrase a record is counted under in `byReason`: `3_Connections_Refused` and
 * `4_Connections_Refused` both count as `Connections_Refused` (the N lives in `refusedConnections`).
 */
export function reasonKey(reason: string): string {
  return refusalCount(reason) > 0 ? "Connections_Refused" : reason;
}

/** `YYYY-MM-DD HH:MM` of a record, or null when it lacks a usable date or time. */
export function minuteKey(record: HttperrRecord): string | null {
  const ts = timestamp(record);
  return ts === null ? null : ts.slice(0, 16);
}

/** `YYYY-MM-DD HH:MM:SS` of a record, or null. */
export function timestamp(record: HttperrRecord): string | null {
  const date = record.date;
  const time = record.time;
  if (typeof date !== "string" || typeof time !== "string") return null;
  if (!isIsoDate(date) || !isClockTime(time)) return null;
  return `${date} ${time.slice(0, 8)}`;
}

const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });
const encoder = new TextEncoder();

/**
 * Exact counts of the few values of a field (reason phrases, queue names): ids from a KeyIds table
 * keyed by every byte, a count per id, keys in first-seen order.
 */
class Interner {
  private readonly ids = new KeyIds(Number.POSITIVE_INFINITY, null, Number.POSITIVE_INFINITY);
  private counts = new Float64Array(64);
  /** Per-id value computed once from the key (the refusal count of a reason phrase). */
  aux = new Float64Array(64);
  readonly keys: string[] = [];

  constructor(private readonly onNew?: (key: string, id: number) => number) {}

  /** The id of buf[s, e) (`view` is a DataView of buf), a new one if it is new; counts nothing. */
  idOf(buf: Uint8Array, view: DataView, s: number, e: number): number {
    const id = this.ids.add(buf, view, s, e);
    if (id === this.keys.length) this.added(utf8.decode(buf.subarray(s, e)), id);
    return id;
  }

  /** Counts the key of an id once more. */
  count(id: number): void {
    this.counts[id] = (this.counts[id] as number) + 1;
  }

  private added(key: string, id: number): void {
    this.counts = grown(this.counts, id + 1);
    this.aux = grown(this.aux, id + 1);
    this.keys.push(key);
    this.aux[id] = this.onNew ? this.onNew(key, id) : 0;
  }

  /** [key, count] in first-seen order. */
  entries(): [string, number][] {
    return this.keys.map((k, id) => [k, this.counts[id] as number]);
  }
}

/** Counts keyed by a number: a dense array for the small values (status codes, site ids), a Map beyond. */
class NumCounter {
  private readonly dense: Float64Array;
  private readonly sparse = new Map<number, number>();
  constructor(private readonly denseSize: number) {
    this.dense = new Float64Array(denseSize);
  }
  add(k: number, by: number): void {
    if (k >= 0 && k < this.denseSize && Number.isInteger(k)) this.dense[k] = (this.dense[k] as number) + by;
    else this.sparse.set(k, (this.sparse.get(k) ?? 0) + by);
  }
  entries(): [number, number][] {
    const out: [number, number][] = [];
    for (let k = 0; k < this.denseSize; k++) {
      const c = this.dense[k] as number;
      if (c > 0) out.push([k, c]);
    }
    for (const e of this.sparse) out.push(e);
    return out;
  }
}

/** Per-minute sums; logs are in time order, so the current minute is held aside and flushed on change. */
class MinuteCounter {
  private readonly map = new Map<number, number>();
  private cur = -1;
  private curCount = 0;
  add(minute: number, by: number): void {
    if (minute !== this.cur) {
      this.flush();
      this.cur = minute;
    }
    this.curCount += by;
  }
  private flush(): void {
    if (this.curCount !== 0) this.map.set(this.cur, (this.map.get(this.cur) ?? 0) + this.curCount);
    this.curCount = 0;
  }
  entries(): [number, number][] {
    this.flush();
    return [...this.map];
  }
}

/** What is counted for one reason phrase (folded by reasonKey). */
class ReasonAcc {
  count = 0;
  minTs = -1;
  maxTs = -1;
  /** Lines per queue id of the summary's queue table. */
  queues = new Float64Array(8);
  readonly sites = new NumCounter(64);
  /** The reason's URIs once the log's are too many for ids (see SummaryAccumulator.uriIds). */
  readonly uris: HeavyHitters;
  /** Until then: lines per URI id, and the ids in the order the reason first had them. */
  uriCounts = new Float64Array(0);
  uriOrder = new Int32Array(0);
  uriHeld = 0;

  constructor(urisHll: Uint8Array) {
    this.uris = new HeavyHitters(REASON_URI_SKETCH_KEYS, urisHll, REASON_URI_KEYS);
  }

  countUri(id: number): void {
    this.uriCounts = grown(this.uriCounts, id + 1);
    const c = this.uriCounts[id] as number;
    if (c === 0) {
      this.uriOrder = grown(this.uriOrder, this.uriHeld + 1);
      this.uriOrder[this.uriHeld++] = id;
    }
    this.uriCounts[id] = c + 1;
  }

  /** Hands the URI counts over to the sketch (which then counts the reason's URIs). */
  seedUris(ids: KeyIds): void {
    ids.seedInto(this.uris, this.uriOrder, this.uriHeld, this.uriCounts);
    this.uriCounts = new Float64Array(0);
    this.uriOrder = new Int32Array(0);
    this.uriHeld = 0;
  }

  addQueue(id: number): void {
    this.queues = grown(this.queues, id + 1);
    this.queues[id] = (this.queues[id] as number) + 1;
  }
}

/** One reason's part of a ScanPartial. */
export interface ReasonPartial {
  count: number;
  minTs: number | null;
  maxTs: number | null;
  queues: [string, number][];
  sites: [number, number][];
  uris: HeavyState;
}

/** The mergeable state of a summary: full exact counts, sketch states, nothing cut to top N yet. Structured-clone safe. */
export interface ScanPartial {
  lines: number;
  skipped: number;
  refused: number;
  /** `YYYYMMDDhhmmss` as a number (same order as the text), null when no record had a time. */
  minTs: number | null;
  maxTs: number | null;
  /** Raw reason phrases (`3_Connections_Refused` kept apart; folded by reasonKey at the end). */
  reasons: [string, number][];
  statuses: [number, number][];
  sites: [number, number][];
  queues: [string, number][];
  clients: HeavyState;
  /** HyperLogLog registers of every client address and URI. */
  clientsHll: Uint8Array;
  urisHll: Uint8Array;
  /** `YYYYMMDDhhmm` → count. */
  refusalsPerMinute: [number, number][];
  status503PerMinute: [number, number][];
  /** Per reason phrase, folded by reasonKey; NO_REASON (`-`) for the lines without one. */
  byReason: [string, ReasonPartial][];
}

const DASH = 45;

/** YYYYMMDD of a valid `YYYY-MM-DD`. */
function dateOfString(date: string): number {
  return Number(date.slice(0, 4)) * 10000 + Number(date.slice(5, 7)) * 100 + Number(date.slice(8, 10));
}

/** HHMMSS of a valid `HH:MM:SS[.f]`. */
function timeOfString(time: string): number {
  return Number(time.slice(0, 2)) * 10000 + Number(time.slice(3, 5)) * 100 + Number(time.slice(6, 8));
}

/** The id of a field's value, -1 for a lone `-` (no value). */
function fieldId(keys: Interner, buf: Uint8Array, view: DataView, s: number, e: number): number {
  return e === s + 1 && buf[s] === DASH ? -1 : keys.idOf(buf, view, s, e);
}

/**
 * Counts HTTPERR records into everything the summary holds. line() is the one way in: the byte
 * scanner calls it with the token bounds of a line, addRecord() with a parsed record's fields encoded
 * as UTF-8, so both paths count the same bytes the same way.
 */
export class SummaryAccumulator {
  lines = 0;
  skipped = 0;
  refused = 0;
  minTs = -1;
  maxTs = -1;
  private curDate = -1;
  private curTime = -1;
  private curMinute = -1;
  private curTs = -1;
  private readonly clientsHll = newHll();
  private readonly urisHll = newHll();
  private readonly clients = new HeavyHitters(CLIENT_SKETCH_KEYS, this.clientsHll, CLIENT_KEYS);
  /**
   * The log's URIs numbered while they are at most REASON_URI_KEYS, so no reason has more: every
   * reason's sketch would still be exact, and the counts per reason and id are the same numbers in
   * far less memory. Past that, the counts go to the sketches (null from then on).
   */
  private uriIds: KeyIds | null = new KeyIds(REASON_URI_KEYS, this.urisHll);
  private readonly noReason = new ReasonAcc(this.urisHll);
  private readonly details: ReasonAcc[] = [this.noReason];
  private readonly detailNames: string[] = [NO_REASON];
  private readonly detailIndex = new Map<string, number>([[NO_REASON, 0]]);
  /** Detail index per raw reason id. */
  private detailOf = new Int32Array(64);
  private readonly reasons = new Interner((key, id) => {
    const folded = reasonKey(key);
    let d = this.detailIndex.get(folded);
    if (d === undefined) {
      d = this.details.length;
      this.details.push(new ReasonAcc(this.urisHll));
      this.detailNames.push(folded);
      this.detailIndex.set(folded, d);
    }
    this.detailOf = grown(this.detailOf, id + 1);
    this.detailOf[id] = d;
    return refusalCount(key);
  });
  private readonly queues = new Interner();
  /**
   * A reason phrase and the queue name after it (http.sys's last two fields), looked up as one key:
   * a line then costs one lookup for both, and the pair's id gives theirs (-1 for a `-`).
   */
  private readonly pairs = new KeyIds(Number.POSITIVE_INFINITY, null, Number.POSITIVE_INFINITY);
  private pairReason = new Int32Array(64);
  private pairQueue = new Int32Array(64);
  private pairsHeld = 0;
  private readonly statuses = new NumCounter(1000);
  private readonly sites = new NumCounter(4096);
  private readonly refusals = new MinuteCounter();
  private readonly s503 = new MinuteCounter();
  private scratch = new Uint8Array(1024);
  private scratchView = new DataView(this.scratch.buffer);

  /**
   * One record: each field as buf[s, e), s < 0 when the line has no such field (a lone `-` is null
   * too); status and site -1 when absent; date YYYYMMDD and time HHMMSS, -1 when absent; `pair` the
   * id this summary gave the reason and queue side by side, when the caller knows it (else -1).
   * Returns that id (-1 when the two are not side by side).
   */
  line(
    buf: Uint8Array,
    view: DataView,
    rs: number,
    re: number,
    qs: number,
    qe: number,
    cs: number,
    ce: number,
    us: number,
    ue: number,
    status: number,
    site: number,
    date: number,
    time: number,
    pair = -1,
  ): number {
    this.lines++;
    let rid = -1;
    let qid = -1;
    if (rs >= 0 && qs === re + 1) {
      if (pair < 0) {
        pair = this.pairs.add(buf, view, rs, qe);
        if (pair === this.pairsHeld) this.newPair(buf, view, rs, re, qs, qe);
      }
      rid = this.pairReason[pair] as number;
      qid = this.pairQueue[pair] as number;
    } else {
      pair = -1;
      if (rs >= 0) rid = fieldId(this.reasons, buf, view, rs, re);
      if (qs >= 0) qid = fieldId(this.queues, buf, view, qs, qe);
    }
    let refused = 0;
    let d = this.noReason;
    if (rid >= 0) {
      this.reasons.count(rid);
      refused = this.reasons.aux[rid] as number;
      this.refused += refused;
      d = this.details[this.detailOf[rid] as number] as ReasonAcc;
    }
    d.count++;
    if (status >= 0) this.statuses.add(status, 1);
    if (site >= 0) {
      this.sites.add(site, 1);
      d.sites.add(site, 1);
    }
    if (qid >= 0) {
      this.queues.count(qid);
      d.addQueue(qid);
    }
    if (cs >= 0 && (ce !== cs + 1 || buf[cs] !== DASH)) this.clients.add(buf, view, cs, ce);
    if (us >= 0 && (ue !== us + 1 || buf[us] !== DASH)) {
      const ids = this.uriIds;
      const id = ids === null ? -1 : ids.add(buf, view, us, ue);
      if (id >= 0) d.countUri(id);
      else {
        if (ids !== null) this.seedUris(ids);
        d.uris.add(buf, view, us, ue);
      }
    }
    if (date < 0 || time < 0) return pair;
    if (date !== this.curDate || time !== this.curTime) {
      // Re-derived only when the time changes: consecutive lines mostly share their second.
      this.curDate = date;
      this.curTime = time;
      this.curMinute = date * 10000 + Math.floor(time / 100);
      const ts = date * 1000000 + time;
      this.curTs = ts;
      if (this.minTs < 0 || ts < this.minTs) this.minTs = ts;
      if (ts > this.maxTs) this.maxTs = ts;
    }
    const ts = this.curTs;
    if (d.minTs < 0 || ts < d.minTs) d.minTs = ts;
    if (ts > d.maxTs) d.maxTs = ts;
    if (refused > 0) this.refusals.add(this.curMinute, refused);
    if (status === 503) this.s503.add(this.curMinute, 1);
    return pair;
  }

  private newPair(buf: Uint8Array, view: DataView, rs: number, re: number, qs: number, qe: number): void {
    const k = this.pairsHeld++;
    this.pairReason = grown(this.pairReason, k + 1);
    this.pairQueue = grown(this.pairQueue, k + 1);
    this.pairReason[k] = fieldId(this.reasons, buf, view, rs, re);
    this.pairQueue[k] = fieldId(this.queues, buf, view, qs, qe);
  }

  private seedUris(ids: KeyIds): void {
    for (const d of this.details) d.seedUris(ids);
    this.uriIds = null;
  }

  /** One parsed record (`-` already null; ports, status and site numbers), through line(). */
  addRecord(record: HttperrRecord): void {
    const str = (v: HttperrRecord[string] | undefined) => (v === null || v === undefined ? null : String(v));
    const reason = str(record["s-reason"]);
    const queue = str(record["s-queuename"]);
    const client = str(record["c-ip"]);
    const uri = str(record["cs-uri"]);
    const need =
      3 * ((reason?.length ?? 0) + (queue?.length ?? 0) + (client?.length ?? 0) + (uri?.length ?? 0));
    if (need > this.scratch.length) {
      this.scratch = new Uint8Array(need * 2);
      this.scratchView = new DataView(this.scratch.buffer);
    }
    const buf = this.scratch;
    let at = 0;
    const put = (v: string | null): number => {
      if (v === null) return -1;
      const s = at;
      at += encoder.encodeInto(v, buf.subarray(at)).written;
      return s;
    };
    const rs = put(reason);
    const re = at;
    const qs = put(queue);
    const qe = at;
    const cs = put(client);
    const ce = at;
    const us = put(uri);
    const ue = at;
    const status = record["sc-status"];
    const site = record["s-siteid"];
    const { date, time } = record;
    const timed =
      typeof date === "string" && typeof time === "string" && isIsoDate(date) && isClockTime(time);
    this.line(
      buf,
      this.scratchView,
      rs,
      re,
      qs,
      qe,
      cs,
      ce,
      us,
      ue,
      typeof status === "number" ? status : -1,
      typeof site === "number" ? site : -1,
      timed ? dateOfString(date) : -1,
      timed ? timeOfString(time) : -1,
    );
  }

  /** Counts lines that were not records (cut short, malformed). */
  skip(count = 1): void {
    this.skipped += count;
  }

  partial(): ScanPartial {
    const queueKeys = this.queues.keys;
    return {
      lines: this.lines,
      skipped: this.skipped,
      refused: this.refused,
      minTs: this.minTs < 0 ? null : this.minTs,
      maxTs: this.maxTs < 0 ? null : this.maxTs,
      reasons: this.reasons.entries(),
      statuses: this.statuses.entries(),
      sites: this.sites.entries(),
      queues: this.queues.entries(),
      clients: this.clients.state(),
      clientsHll: this.clientsHll.slice(),
      urisHll: this.urisHll.slice(),
      refusalsPerMinute: this.refusals.entries(),
      status503PerMinute: this.s503.entries(),
      // A reason seen only in lines the scanner later read again (a range's head) may count 0.
      byReason: this.details.map((d, i): [string, ReasonPartial] => {
        const queues: [string, number][] = [];
        d.queues.forEach((n, id) => {
          if (n > 0) queues.push([queueKeys[id] as string, n]);
        });
        return [
          this.detailNames[i] as string,
          {
            count: d.count,
            minTs: d.minTs < 0 ? null : d.minTs,
            maxTs: d.maxTs < 0 ? null : d.maxTs,
            queues,
            sites: d.sites.entries(),
            uris: this.uriIds
              ? this.uriIds.state(d.uriOrder, d.uriHeld, d.uriCounts, REASON_URI_KEYS)
              : d.uris.state(),
          },
        ];
      }),
    };
  }
}

const sumLists = <K>(lists: [K, number][][]): [K, number][] => {
  const m = new Map<K, number>();
  for (const list of lists) for (const [k, v] of list) m.set(k, (m.get(k) ?? 0) + v);
  return [...m];
};

/** The earliest and latest time of several parts (null where none had one). */
function timeSpan(parts: readonly { minTs: number | null; maxTs: number | null }[]) {
  const known = (xs: (number | null)[]) => xs.filter((x): x is number => x !== null);
  const mins = known(parts.map((p) => p.minTs));
  const maxs = known(parts.map((p) => p.maxTs));
  return {
    minTs: mins.length === 0 ? null : Math.min(...mins),
    maxTs: maxs.length === 0 ? null : Math.max(...maxs),
  };
}

function mergeReasons(parts: readonly ReasonPartial[]): ReasonPartial {
  return {
    count: parts.reduce((a, p) => a + p.count, 0),
    ...timeSpan(parts),
    queues: sumLists(parts.map((p) => p.queues)),
    sites: sumLists(parts.map((p) => p.sites)),
    uris: parts.map((p) => p.uris).reduce(mergeHeavy),
  };
}

/** One partial of several: sums, minima, maxima and merged sketches. */
export function mergePartials(parts: readonly ScanPartial[]): ScanPartial {
  const byReason = new Map<string, ReasonPartial[]>();
  for (const p of parts) {
    for (const [k, r] of p.byReason) {
      const list = byReason.get(k);
      if (list) list.push(r);
      else byReason.set(k, [r]);
    }
  }
  const hll = (f: (p: ScanPartial) => Uint8Array) => {
    const into = newHll();
    for (const p of parts) mergeHllInto(into, f(p));
    return into;
  };
  return {
    lines: parts.reduce((a, p) => a + p.lines, 0),
    skipped: parts.reduce((a, p) => a + p.skipped, 0),
    refused: parts.reduce((a, p) => a + p.refused, 0),
    ...timeSpan(parts),
    reasons: sumLists(parts.map((p) => p.reasons)),
    statuses: sumLists(parts.map((p) => p.statuses)),
    sites: sumLists(parts.map((p) => p.sites)),
    queues: sumLists(parts.map((p) => p.queues)),
    clients: parts.length === 0 ? emptyHeavy(CLIENT_KEYS) : parts.map((p) => p.clients).reduce(mergeHeavy),
    clientsHll: hll((p) => p.clientsHll),
    urisHll: hll((p) => p.urisHll),
    refusalsPerMinute: sumLists(parts.map((p) => p.refusalsPerMinute)),
    status503PerMinute: sumLists(parts.map((p) => p.status503PerMinute)),
    byReason: [...byReason].map(([k, list]): [string, ReasonPartial] => [k, mergeReasons(list)]),
  };
}

export function emptyPartial(): ScanPartial {
  return new SummaryAccumulator().partial();
}

const byKey = (a: [string, number], b: [string, number]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

function sortedObject(entries: [string, number][]): Record<string, number> {
  return Object.fromEntries(entries.filter((e) => e[1] > 0).sort(byKey));
}

/** [key, count, overcount], most frequent first, ties by key. */
type Ranked = [string, number, number];
const better = (a: Ranked, b: Ranked) => a[1] > b[1] || (a[1] === b[1] && a[0] < b[0]);

/** The n + 1 best (the last one only says what the list leaves out), without sorting a huge list. */
function best(entries: Ranked[], n: number): Ranked[] {
  const out: Ranked[] = [];
  for (const e of entries) {
    if (e[1] <= 0) continue;
    if (out.length === n && !better(e, out[n - 1] as Ranked)) continue;
    let i = out.length < n ? out.length : n - 1;
    while (i > 0 && better(e, out[i - 1] as Ranked)) {
      if (i < n) out[i] = out[i - 1] as Ranked;
      i--;
    }
    out[i] = e;
  }
  return out;
}

/** The top list of exact counts and the most any value left off it has. */
function topExact(entries: [string, number][]): { top: TopEntry[]; unlisted: number } {
  const ranked = best(
    entries.map(([k, c]): Ranked => [k, c, 0]),
    TOP_N + 1,
  );
  return {
    top: ranked.slice(0, TOP_N).map(([key, count]) => ({ key, count, overcount: 0 })),
    unlisted: ranked[TOP_N]?.[1] ?? 0,
  };
}

/** The top list of a sketch; a value left off has at most the next count, or absentMax if never held. */
function topHeavy(s: HeavyState): { top: TopEntry[]; unlisted: number } {
  const ranked = best(
    heavyKeys(s).map((k, i): Ranked => [k, s.counts[i] as number, s.overcounts[i] as number]),
    TOP_N + 1,
  );
  return {
    top: ranked.slice(0, TOP_N).map(([key, count, overcount]) => ({ key, count, overcount })),
    unlisted: Math.max(s.absentMax, ranked[TOP_N]?.[1] ?? 0),
  };
}

const pad = (v: number, w: number) => String(v).padStart(w, "0");

function minuteText(m: number): string {
  const mi = m % 100;
  const h = Math.floor(m / 100) % 100;
  const d = Math.floor(m / 10000) % 100;
  const mo = Math.floor(m / 1000000) % 100;
  const y = Math.floor(m / 100000000);
  return `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)} ${pad(h, 2)}:${pad(mi, 2)}`;
}

function tsText(ts: number | null): string | null {
  if (ts === null) return null;
  return `${minuteText(Math.floor(ts / 100))}:${pad(ts % 100, 2)}`;
}

function reasonDetail(r: ReasonPartial): ReasonDetail {
  const queues = topExact(r.queues);
  const sites = topExact(r.sites.map(([k, v]): [string, number] => [String(k), v]));
  const uris = topHeavy(r.uris);
  return {
    count: r.count,
    firstTime: tsText(r.minTs),
    lastTime: tsText(r.maxTs),
    topQueues: queues.top,
    topSites: sites.top,
    topUris: uris.top,
    unlisted: { queues: queues.unlisted, sites: sites.unlisted, uris: uris.unlisted },
  };
}

/** The HttperrSummary of a (merged) partial; top lists are cut here and only here. */
export function finishSummary(p: ScanPartial): HttperrSummary {
  const reasons = new Map<string, number>();
  for (const [k, v] of p.reasons) {
    const key = reasonKey(k);
    reasons.set(key, (reasons.get(key) ?? 0) + v);
  }
  const numKeyed = (list: [number, number][]) => list.map(([k, v]): [string, number] => [String(k), v]);
  const minuteKeyed = (list: [number, number][]) =>
    list.map(([k, v]): [string, number] => [minuteText(k), v]);
  const allUris = unionHeavy(p.byReason.map(([, r]) => r.uris));
  const clients = topHeavy(p.clients);
  const uris = topHeavy(allUris);
  const queues = topExact(p.queues);
  const details = p.byReason
    .filter(([k, r]) => k !== NO_REASON && r.count > 0)
    .sort((a, b) => (a[0] < b[0] ? -1 : 1));
  return {
    lines: p.lines,
    skipped: p.skipped,
    byReason: sortedObject([...reasons]),
    byStatus: sortedObject(numKeyed(p.statuses)),
    bySite: sortedObject(numKeyed(p.sites)),
    byQueue: sortedObject(p.queues),
    firstTime: tsText(p.minTs),
    lastTime: tsText(p.maxTs),
    refusalsPerMinute: sortedObject(minuteKeyed(p.refusalsPerMinute)),
    status503PerMinute: sortedObject(minuteKeyed(p.status503PerMinute)),
    refusedConnections: p.refused,
    topClients: clients.top,
    topUris: uris.top,
    topQueues: queues.top,
    unlisted: { clients: clients.unlisted, uris: uris.unlisted, queues: queues.unlisted },
    distinctClients: distinctOf(p.clients.counts.length, p.clients.absentMax === 0, p.clientsHll),
    distinctUris: distinctOf(allUris.counts.length, allUris.exact, p.urisHll),
    byReasonDetail: Object.fromEntries(details.map(([k, r]) => [k, reasonDetail(r)])),
  };
}

/** Incremental HttperrSummary over parsed records (the simple parser's side of SummaryAccumulator). */
export class HttperrSummaryBuilder {
  private readonly acc = new SummaryAccumulator();

  add(record: HttperrRecord): void {
    this.acc.addRecord(record);
  }

  /** Counts a line that was not a record (cut short, malformed). */
  skip(count = 1): void {
    this.acc.skip(count);
  }

  result(): HttperrSummary {
    return finishSummary(this.acc.partial());
  }
}
