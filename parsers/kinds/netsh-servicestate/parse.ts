// `netsh http show servicestate` (the Server Session View, the default) and `view=requestq` → one
// record per request queue. Windows Server 2012 R2 prints per queue its state, 503 verbosity, Max
// requests, the process count and `Process IDs:`; 2019/2022 (and Windows 10/11) add Active / Queued
// requests, `Max queued request age: Ns`, arrived / rejected counts and `Processes:` as `ID: n, image:
// path`. A `Request queue name:` line inside a URL group only refers to a queue: a queue is a block
// that holds a queue's own settings. `verbose=yes` lists requests (`Requests:`); their number and the
// largest elapsed time are kept. Indentation is not relied on (Slack may strip it). One pass.
import { readNumber, safeIntegerOf } from "../../numbers.js";
import { promptOf } from "../../prompt.js";
import { splitLines } from "../../text.js";
import type { KindInput } from "../module.js";
import type { NetshServicestateData, RequestQueue } from "./schema.js";

/** Keys only a queue's own block has (a URL group's reference to it has none of them). */
const QUEUE_KEYS = new Set([
  "request queue 503 verbosity level",
  "max requests",
  "active requests",
  "queued requests",
  "current queue size",
  "max queued request age",
  "requests arrived",
  "requests rejected",
  "number of active processes attached",
  "number of active processes",
  "controller process id",
  "process ids",
  "processes",
]);

/** Lines that end the block of the queue being read. */
const BLOCK_START =
  /^(?:request queue name|url group id|server session id|request queues|url groups|registered urls)$/;

function keyLine(line: string): { key: string; value: string } | null {
  const t = line.trim();
  const colon = t.indexOf(":");
  if (colon <= 0 || colon > 60) return null;
  const after = t[colon + 1];
  if (after !== undefined && after !== " " && after !== "\t") return null; // `HTTP://*:80/`
  return {
    key: t.slice(0, colon).trim().replace(/\s+/g, " ").toLowerCase(),
    value: t.slice(colon + 1).trim(),
  };
}

function count(value: string): number | null {
  const n = readNumber(value.split(/[\s,]/)[0] ?? "", { integer: true });
  return n !== null && Number.isSafeInteger(n) && n >= 0 ? n : null;
}

/** `131s`, `131 s`, `2500 ms`, `12 seconds` → seconds. */
function seconds(value: string): number | null {
  const m = /^(\d[\d.,]*)\s*(ms|milliseconds?|s|sec|secs|seconds?)?\b/i.exec(value.trim());
  if (!m) return null;
  const n = readNumber(m[1] as string);
  if (n === null) return null;
  return /^ms|^milli/i.test(m[2] ?? "") ? n / 1000 : n;
}

function newQueue(name: string): RequestQueue {
  const unnamed = /^Request queue is unnamed\.?$/i.test(name);
  return {
    name,
    unnamed,
    state: null,
    maxRequests: null,
    activeRequests: null,
    queuedRequests: null,
    maxQueuedAgeSeconds: null,
    requestsArrived: null,
    requestsRejected: null,
    cacheHits: null,
    processes: null,
    controllerPid: null,
    pids: [],
    listedRequests: null,
    oldestListedSeconds: null,
  };
}

interface Block {
  queue: RequestQueue;
  own: boolean;
  /** Inside `Process IDs:`, `Processes:` or `Requests:`. */
  list: "pids" | "processes" | "requests" | null;
  closed: boolean;
}

export function parseNetshServicestate(
  text: string,
  source: string,
): KindInput<"netsh-servicestate", NetshServicestateData> {
  const warnings: string[] = [];
  const data: NetshServicestateData = { view: null, queues: [] };
  let block: Block | null = null;

  const close = (): void => {
    if (block?.own) data.queues.push(block.queue);
    block = null;
  };

  const lines = splitLines(text);
  for (const line of lines) {
    const trimmed = line.trim();
    if (trimmed === "" || promptOf(line) !== null) continue;
    const view = /^Snapshot of HTTP service state \((Server Session|Request Queue) View\)/i.exec(trimmed);
    if (view) {
      data.view = /session/i.test(view[1] as string) ? "session" : "requestq";
      continue;
    }
    const kv = keyLine(line);
    const b = block as Block | null;
    if (kv === null) {
      // Lines of a list: `3844` under Process IDs.
      const pid =
        b && !b.closed && b.list === "pids" && /^\d+$/.test(trimmed) ? safeIntegerOf(trimmed) : null;
      if (b && pid !== null) b.queue.pids.push(pid);
      continue;
    }
    if (kv.key === "request queue name") {
      close();
      block = { queue: newQueue(kv.value), own: false, list: null, closed: false };
      continue;
    }
    if (b === null || b.closed) continue;
    if (BLOCK_START.test(kv.key)) {
      // A queue's own block ends where its URL groups or registered URLs begin.
      b.closed = true;
      continue;
    }
    if (QUEUE_KEYS.has(kv.key)) b.own = true;
    const q = b.queue;
    switch (kv.key) {
      case "state":
        q.state ??= kv.value || null;
        break;
      case "max requests":
        q.maxRequests = count(kv.value);
        break;
      case "active requests":
        q.activeRequests = count(kv.value);
        break;
      case "queued requests":
      case "current queue size":
        q.queuedRequests = count(kv.value);
        break;
      case "max queued request age":
        q.maxQueuedAgeSeconds = seconds(kv.value);
        break;
      case "requests arrived":
        q.requestsArrived = count(kv.value);
        break;
      case "requests rejected":
        q.requestsRejected = count(kv.value);
        break;
      case "cache hits":
        q.cacheHits = count(kv.value);
        break;
      case "number of active processes attached":
      case "number of active processes":
        q.processes = count(kv.value);
        break;
      case "controller process id":
        q.controllerPid = count(kv.value);
        break;
      case "process ids":
        b.list = "pids";
        break;
      case "processes":
        b.list = "processes";
        break;
      case "requests":
        b.list = "requests";
        break;
      case "id":
        if (b.list === "processes") {
          const pid = count(kv.value);
          if (pid !== null) q.pids.push(pid);
        }
        break;
      case "request id":
        if (b.list === "requests") q.listedRequests = (q.listedRequests ?? 0) + 1;
        break;
      default:
        if (b.list === "requests" && /elapsed|time since|age/.test(kv.key)) {
          const unitInKey = /\((ms|milliseconds|secs?|seconds)\)/.exec(kv.key)?.[1];
          const s = seconds(unitInKey ? `${kv.value.split(/\s/)[0]} ${unitInKey}` : kv.value);
          if (s !== null) q.oldestListedSeconds = Math.max(q.oldestListedSeconds ?? 0, s);
        }
    }
  }
  close();
  if (data.queues.length === 0)
    warnings.push("no request queues (Request queue name: with its settings) found");
  return { kind: "netsh-servicestate", source, warnings, data };
}
