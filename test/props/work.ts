// Counting the work a parser does, deterministically (no clocks anywhere).
//
// Method. While `measureWork(fn)` runs fn, two kinds of work are counted:
//  1. Regex work. RegExp.prototype.exec is replaced by a wrapper. Per the spec, test, match,
//     matchAll, replace, search and split all go through `exec` once it is replaced, so every regex
//     call a parser makes is seen. Each call is replayed through regex-meter (a step-counting
//     backtracking matcher) and its steps are added; the wrapper then runs the real exec and checks
//     that the meter found the same match, so the count belongs to the real regex. Backtracking
//     (the `\s*:?\s*` or `\s+$` kind) therefore shows up in the count.
//  2. Whole-string scans. trim/trimStart/trimEnd, toLowerCase/toUpperCase, indexOf/lastIndexOf/
//     includes and split with a string separator add the length of the string they scan. This sees
//     the other way to go quadratic: re-scanning a value that grows (`msg = (msg + line).trim()`).
// Plain loops over characters are not counted; they are linear by inspection (text.ts, numbers.ts).
// A test then feeds sizes n, 2n, 4n, 8n of one adversarial family and checks that each doubling at
// most ~2.5× the work: linear with slack, where a quadratic step would show 4×.
import { meterExec } from "./regex-meter.js";

const realExec = RegExp.prototype.exec;

type StrMethod = "trim" | "trimStart" | "trimEnd" | "toLowerCase" | "toUpperCase";
const SCANS: readonly StrMethod[] = ["trim", "trimStart", "trimEnd", "toLowerCase", "toUpperCase"];
type SearchMethod = "indexOf" | "lastIndexOf" | "includes";
const SEARCHES: readonly SearchMethod[] = ["indexOf", "lastIndexOf", "includes"];

export interface Work {
  /** Regex steps plus characters scanned by whole-string methods. */
  total: number;
  regexSteps: number;
  scanned: number;
  regexCalls: number;
  /** The regex call with the most steps, to name a culprit in a failure message. */
  worst: { regex: string; steps: number; inputLength: number } | null;
}

let measuring = false;

/** Runs fn with the counters installed; returns its result and the work counted. */
export function measureWork<T>(fn: () => T): { result: T; work: Work } {
  if (measuring) throw new Error("measureWork does not nest");
  const work: Work = { total: 0, regexSteps: 0, scanned: 0, regexCalls: 0, worst: null };
  let busy = false; // the meter's own string and regex work is not counted
  const proto = String.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
  const saved = new Map<string, (...a: unknown[]) => unknown>();
  for (const name of [...SCANS, ...SEARCHES, "split"]) saved.set(name, proto[name] as never);

  RegExp.prototype.exec = function exec(this: RegExp, input: string): RegExpExecArray | null {
    if (busy) return realExec.call(this, input);
    const s = String(input);
    const start = this.lastIndex;
    busy = true;
    let metered: ReturnType<typeof meterExec>;
    try {
      metered = meterExec(this.source, this.flags, s, start);
    } finally {
      busy = false;
    }
    const real = realExec.call(this, s);
    busy = true;
    try {
      const same =
        real === null
          ? metered.match === null
          : metered.match !== null &&
            metered.match.index === real.index &&
            metered.match.end === real.index + real[0].length;
      if (!same) {
        throw new Error(
          `regex-meter disagrees with V8 on /${this.source}/${this.flags} at ${start}: ` +
            `${JSON.stringify(metered.match)} vs ${real === null ? "null" : `${real.index}+${real[0].length}`}`,
        );
      }
      work.regexCalls++;
      work.regexSteps += metered.steps;
      if (work.worst === null || metered.steps > work.worst.steps) {
        work.worst = { regex: `/${this.source}/${this.flags}`, steps: metered.steps, inputLength: s.length };
      }
    } finally {
      busy = false;
    }
    return real;
  };
  for (const name of SCANS) {
    const original = saved.get(name) as (this: string) => string;
    proto[name] = function (this: string) {
      if (!busy) work.scanned += this.length;
      return original.call(this);
    };
  }
  for (const name of SEARCHES) {
    const original = saved.get(name) as (this: string, ...a: unknown[]) => unknown;
    proto[name] = function (this: string, ...args: unknown[]) {
      if (!busy) work.scanned += this.length;
      return original.apply(this, args);
    };
  }
  const split = saved.get("split") as (this: string, ...a: unknown[]) => unknown;
  proto.split = function (this: string, ...args: unknown[]) {
    if (!busy && typeof args[0] === "string") work.scanned += this.length;
    return split.apply(this, args);
  };

  measuring = true;
  try {
    const result = fn();
    work.total = work.regexSteps + work.scanned;
    return { result, work };
  } finally {
    measuring = false;
    RegExp.prototype.exec = realExec;
    for (const [name, original] of saved) proto[name] = original;
  }
}

/** Work at each size, and the growth factor of each doubling. */
export interface Growth {
  sizes: number[];
  totals: number[];
  ratios: number[];
  worst: Work["worst"];
}

/** Measures fn on inputs built at sizes n, 2n, 4n, 8n. */
export function growth(build: (size: number) => string, fn: (text: string) => unknown, n: number): Growth {
  const sizes = [n, 2 * n, 4 * n, 8 * n];
  const totals: number[] = [];
  let worst: Work["worst"] = null;
  for (const size of sizes) {
    const text = build(size);
    const { work } = measureWork(() => fn(text));
    totals.push(work.total);
    worst = work.worst;
  }
  const ratios = totals.slice(1).map((t, i) => t / Math.max(1, totals[i] as number));
  return { sizes, totals, ratios, worst };
}
