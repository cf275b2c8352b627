// Writes realistic HTTPERR logs of a given size: header blocks as http.sys writes them (a new block
// after each service restart), CRLF line ends, a mix of reason phrases with their usual status codes
// (incl. bursts of `N_Connections_Refused` lines with every other field `-`), several sites and
// application pools, IPv4 and IPv6 clients. Deterministic for a seed.
//
// Two cardinalities: `low` (the default) draws clients from 3,500 addresses and URIs from 2,000, as
// an intranet server sees them; `high` gives every line a new client address across 10.0.0.0/8 and
// every request a new URI with a random query string, as a public server sees them (optionally with a
// share of lines from a few hot clients and URIs, for the heavy-hitters tests).
//
// Usage: node dist/bench/generate.js OUT_FILE SIZE_MB [--seed N] [--lf] [--streamid-blocks] [--high]
import { closeSync, openSync, writeSync } from "node:fs";
import { fileURLToPath } from "node:url";

export interface GenerateOptions {
  seed?: number;
  /** LF line ends instead of Windows' CRLF. */
  lf?: boolean;
  /** Bytes between header blocks (a restart of the service); default 48 MB. */
  blockBytes?: number;
  /** Alternate header blocks between the 13-field list and the HTTP API 2.0 one with `streamid`. */
  streamidBlocks?: boolean;
  /** Leave the last line without its line end (a log being written). */
  truncateLast?: boolean;
  /** `high`: a new client address (10.0.0.0/8) on every line and a new URI on every request. */
  cardinality?: "low" | "high";
  /** With `high`: the share of lines whose client and URI come from the low-cardinality pools instead. */
  hotShare?: number;
}

/** mulberry32: small, fast, good enough for picking log lines. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIELDS_13 =
  "date time c-ip c-port s-ip s-port cs-version cs-method cs-uri sc-status s-siteid s-reason s-queuename";
const FIELDS_14 =
  "date time c-ip c-port s-ip s-port cs-version cs-method cs-uri streamid sc-status s-siteid s-reason s-queuename";

/** Reason phrase, weight, status (null: `-`), whether the request line was read. */
const REASONS: [string, number, number | null, boolean][] = [
  ["Timer_ConnectionIdle", 30, null, false],
  ["Timer_MinBytesPerSecond", 6, null, false],
  ["Connection_Dropped", 6, null, true],
  ["Connection_Abandoned_By_ReqQueue", 5, null, true],
  ["Request_Cancelled", 4, null, true],
  ["Client_Reset", 3, null, false],
  ["BadRequest", 5, 400, true],
  ["Hostname", 2, 400, true],
  ["URL", 2, 400, true],
  ["Verb", 1, 400, true],
  ["Forbidden", 1, 403, true],
  ["NotFound", 3, 404, true],
  ["FieldLength", 1, 400, true],
  ["Version_N/S", 1, 505, true],
  ["QueueFull", 4, 503, true],
  ["AppOffline", 2, 503, true],
  ["Disabled", 1, 503, true],
  ["ServiceUnavailable", 2, 503, true],
  ["Timer_HeaderWait", 2, null, false],
  ["Timer_EntityBody", 1, null, true],
  ["Connection_Dropped_List_Full", 1, null, false],
  ["REFUSED", 8, null, false],
];

const QUEUES = ["DefaultAppPool", "OrdersPool", "CheckoutPool", "ApiPool", "Intranet", "ReportingPool"];
const METHODS = ["GET", "GET", "GET", "POST", "POST", "HEAD", "PUT", "OPTIONS"];
const PATHS = [
  "/",
  "/api/orders",
  "/api/cart",
  "/checkout",
  "/login",
  "/static/app.js",
  "/reports/daily",
  "/health",
];

const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)] as T;
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, "0");
}

/** Writes a log of about `bytes` bytes to `path` (always whole lines, unless truncateLast). */
export function generateHttperr(path: string, bytes: number, opts: GenerateOptions = {}): void {
  const r = rng(opts.seed ?? 1);
  const eol = opts.lf ? "\n" : "\r\n";
  const blockBytes = opts.blockBytes ?? 48 * 1024 * 1024;
  const totalWeight = REASONS.reduce((a, x) => a + x[1], 0);
  const clients4 = Array.from({ length: 3000 }, () =>
    [10, Math.floor(r() * 256), Math.floor(r() * 256), 1 + Math.floor(r() * 254)].join("."),
  );
  const clients6 = Array.from(
    { length: 500 },
    () => `2001:db8:${Math.floor(r() * 0xffff).toString(16)}::${Math.floor(r() * 0xffff).toString(16)}`,
  );
  const uris = Array.from({ length: 2000 }, (_, i) => {
    const p = pick(r, PATHS);
    return p === "/" || i % 4 === 0 ? p : `${p}?id=${Math.floor(r() * 100000)}`;
  });
  // A few clients and URIs are hot, as in life.
  const client = () =>
    r() < 0.1 ? (pick(r, clients6) as string) : (clients4[Math.floor(r() * r() * clients4.length)] as string);
  const uri = () => uris[Math.floor(r() * r() * uris.length)] as string;
  // High cardinality: the n-th client is n scrambled by an odd multiplier mod 2^24 (a bijection, so
  // no address repeats for 16.7 million lines); URIs carry 10 random base-36 characters.
  const high = opts.cardinality === "high";
  const hot = opts.hotShare ?? 0;
  let fresh = 0;
  const freshClient = () => {
    const n = Math.imul(++fresh, 0x9e3779b1 | 1) & 0xffffff;
    return `10.${n >>> 16}.${(n >>> 8) & 255}.${n & 255}`;
  };
  const freshUri = () => {
    let q = "";
    for (let i = 0; i < 10; i++) q += ALPHABET[Math.floor(r() * 36)];
    return `${pick(r, PATHS)}?q=${q}`;
  };
  const lineClient = () => (high && r() >= hot ? freshClient() : client());
  const lineUri = () => (high && r() >= hot ? freshUri() : uri());

  const fd = openSync(path, "w");
  let written = 0;
  let sinceHeader = Number.POSITIVE_INFINITY;
  let block = 0;
  let withStream = false;
  let t = Date.UTC(2024, 2, 1, 0, 0, 0);
  let parts: string[] = [];
  let partBytes = 0;
  const flush = () => {
    const buf = Buffer.from(parts.join(""), "latin1");
    writeSync(fd, buf);
    parts = [];
    partBytes = 0;
  };
  const emit = (line: string) => {
    parts.push(line);
    partBytes += line.length;
    written += line.length;
    sinceHeader += line.length;
    if (partBytes >= 4 * 1024 * 1024) flush();
  };
  let burst = 0;
  while (written < bytes) {
    const d = new Date(t);
    const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
    const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
    if (sinceHeader >= blockBytes) {
      withStream = opts.streamidBlocks === true && block % 2 === 1;
      block++;
      sinceHeader = 0;
      emit(`#Software: Microsoft HTTP API 2.0${eol}`);
      emit(`#Version: 1.0${eol}`);
      emit(`#Date: ${date} ${time}${eol}`);
      emit(`#Fields: ${withStream ? FIELDS_14 : FIELDS_13}${eol}`);
    }
    // Refusal bursts: while non-paged pool is short, http.sys logs one folded line every 5 s.
    if (burst === 0 && r() < 0.0005) burst = 20 + Math.floor(r() * 200);
    let line: string;
    let w = r() * totalWeight;
    let reason = REASONS[0] as (typeof REASONS)[number];
    for (const x of REASONS) {
      w -= x[1];
      if (w < 0) {
        reason = x;
        break;
      }
    }
    const stream = withStream ? " -" : "";
    if (burst > 0 || reason[0] === "REFUSED") {
      if (burst > 0) burst--;
      line = `${date} ${time} - - - - - - -${stream} - - ${1 + Math.floor(r() * 9)}_Connections_Refused -`;
    } else {
      const ip = lineClient();
      const v6 = ip.includes(":");
      const sip = v6 ? "2001:db8::5" : "10.0.0.5";
      const port = r() < 0.7 ? 443 : 80;
      const site = 1 + Math.floor(r() * r() * 5);
      const queue = pick(r, QUEUES);
      const [name, , status, hasRequest] = reason;
      const req = hasRequest ? `HTTP/${r() < 0.2 ? "2.0" : "1.1"} ${pick(r, METHODS)} ${lineUri()}` : "- - -";
      const sid = withStream ? (hasRequest && r() < 0.2 ? ` ${1 + Math.floor(r() * 99)}` : " -") : "";
      const st = status ?? "-";
      const siteQueue = hasRequest
        ? `${site} ${name} ${status === 503 || r() < 0.5 ? queue : "-"}`
        : `- ${name} -`;
      line = `${date} ${time} ${ip} ${1024 + Math.floor(r() * 64000)} ${sip} ${port} ${req}${sid} ${st} ${siteQueue}`;
    }
    emit(`${line}${eol}`);
    t += Math.floor(r() * 40);
  }
  if (opts.truncateLast) emit(`${new Date(t).toISOString().slice(0, 10)} 23:59:59 10.0.0.1 5`);
  flush();
  closeSync(fd);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [out, sizeMb, ...rest] = process.argv.slice(2);
  if (!out || !sizeMb) {
    console.error("usage: generate OUT_FILE SIZE_MB [--seed N] [--lf] [--streamid-blocks] [--high]");
    process.exit(2);
  }
  const seedAt = rest.indexOf("--seed");
  generateHttperr(out, Number(sizeMb) * 1024 * 1024, {
    seed: seedAt >= 0 ? Number(rest[seedAt + 1]) : 1,
    lf: rest.includes("--lf"),
    streamidBlocks: rest.includes("--streamid-blocks"),
    cardinality: rest.includes("--high") ? "high" : "low",
  });
}
