// A step-counting backtracking matcher for the regular expressions the parsers use. V8 gives no
// deterministic count of the work a regex does (its backtrack limit ignores greedy-loop backtracking,
// which is exactly where `\s*:?\s*` or `\s+$` go quadratic), so the linearity tests replay every
// regex call through this matcher and count its steps. It backtracks the way irregexp does (greedy
// first, leftmost start, every start position unless anchored), so its step count grows the way
// V8's work grows. It covers the syntax the parsers use (classes, escapes, groups, alternation,
// greedy and lazy quantifiers, ^ $ \b, flags g i m s y) and throws on anything else; the caller
// also checks that it finds the same match as V8, so a gap in it cannot go unnoticed.

type Test = (c: number) => boolean;

type Node =
  | { t: "char"; test: Test }
  | { t: "seq"; items: Node[] }
  | { t: "alt"; alts: Node[] }
  | { t: "quant"; body: Node; min: number; max: number; greedy: boolean }
  | { t: "bol" }
  | { t: "eol" }
  | { t: "wordb"; neg: boolean };

// Originals, so that the matcher's own string work is never counted by the String patches.
const fromCharCode = String.fromCharCode;
const lower = String.prototype.toLowerCase;
const upper = String.prototype.toUpperCase;

const isLineTerm = (c: number): boolean => c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029;
const isSpace = (c: number): boolean =>
  c === 0x20 ||
  (c >= 0x09 && c <= 0x0d) ||
  c === 0xa0 ||
  c === 0x1680 ||
  (c >= 0x2000 && c <= 0x200a) ||
  c === 0x2028 ||
  c === 0x2029 ||
  c === 0x202f ||
  c === 0x205f ||
  c === 0x3000 ||
  c === 0xfeff;
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isWord = (c: number): boolean =>
  isDigit(c) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;

/** The case variants JS compares under the `i` flag (non-unicode: single-unit upper/lower case). */
function caseFold(test: Test): Test {
  return (c) => {
    if (test(c)) return true;
    const ch = fromCharCode(c);
    const lo = lower.call(ch);
    const up = upper.call(ch);
    if (lo.length === 1 && lo.charCodeAt(0) !== c && test(lo.charCodeAt(0))) return true;
    // JS canonicalises to upper case, but never maps a non-ASCII character to an ASCII one.
    if (up.length === 1 && up.charCodeAt(0) !== c && !(c >= 128 && up.charCodeAt(0) < 128))
      return test(up.charCodeAt(0));
    return false;
  };
}

class Parser {
  private i = 0;
  constructor(
    private readonly src: string,
    private readonly flags: string,
  ) {}

  parse(): Node {
    const node = this.alt();
    if (this.i < this.src.length) this.fail("unbalanced )");
    return node;
  }

  private fail(why: string): never {
    throw new Error(`regex-meter: ${why} at ${this.i} in /${this.src}/${this.flags}`);
  }

  private alt(): Node {
    const alts: Node[] = [this.seq()];
    while (this.src[this.i] === "|") {
      this.i++;
      alts.push(this.seq());
    }
    return alts.length === 1 ? (alts[0] as Node) : { t: "alt", alts };
  }

  private seq(): Node {
    const items: Node[] = [];
    while (this.i < this.src.length && this.src[this.i] !== "|" && this.src[this.i] !== ")") {
      const atom = this.atom();
      items.push(this.quantifier(atom));
    }
    return items.length === 1 ? (items[0] as Node) : { t: "seq", items };
  }

  private quantifier(atom: Node): Node {
    const c = this.src[this.i];
    let min: number;
    let max: number;
    if (c === "*") [min, max] = [0, Infinity];
    else if (c === "+") [min, max] = [1, Infinity];
    else if (c === "?") [min, max] = [0, 1];
    else if (c === "{") {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i));
      if (!m) return atom; // a literal `{` (Annex B)
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === "" ? Infinity : Number(m[3]);
      this.i += m[0].length - 1;
    } else return atom;
    this.i++;
    let greedy = true;
    if (this.src[this.i] === "?") {
      greedy = false;
      this.i++;
    }
    if (atom.t === "bol" || atom.t === "eol" || atom.t === "wordb") this.fail("quantified assertion");
    return { t: "quant", body: atom, min, max, greedy };
  }

  private charNode(test: Test): Node {
    return { t: "char", test: this.flags.includes("i") ? caseFold(test) : test };
  }

  private atom(): Node {
    const c = this.src[this.i] as string;
    this.i++;
    switch (c) {
      case "^":
        return { t: "bol" };
      case "$":
        return { t: "eol" };
      case ".":
        return this.charNode(this.flags.includes("s") ? () => true : (x) => !isLineTerm(x));
      case "[":
        return this.charNode(this.cls());
      case "(": {
        if (this.src[this.i] === "?") {
          if (this.src[this.i + 1] === ":") this.i += 2;
          else if (this.src[this.i + 1] === "<" && /[A-Za-z_]/.test(this.src[this.i + 2] ?? "")) {
            this.i = this.src.indexOf(">", this.i) + 1;
          } else this.fail("lookaround not supported");
        }
        const body = this.alt();
        if (this.src[this.i] !== ")") this.fail("missing )");
        this.i++;
        return body;
      }
      case "\\": {
        const e = this.src[this.i] as string;
        if (e === "b" || e === "B") {
          this.i++;
          return { t: "wordb", neg: e === "B" };
        }
        if (/[1-9]/.test(e) || e === "k") this.fail("backreference not supported");
        return this.charNode(this.escape());
      }
      default: {
        const code = c.charCodeAt(0);
        return this.charNode((x) => x === code);
      }
    }
  }

  /** After a backslash (outside or inside a class). */
  private escape(inClass = false): Test {
    const e = this.src[this.i] as string;
    this.i++;
    switch (e) {
      case "d":
        return isDigit;
      case "D":
        return (c) => !isDigit(c);
      case "s":
        return isSpace;
      case "S":
        return (c) => !isSpace(c);
      case "w":
        return isWord;
      case "W":
        return (c) => !isWord(c);
      case "t":
        return (c) => c === 9;
      case "n":
        return (c) => c === 10;
      case "r":
        return (c) => c === 13;
      case "v":
        return (c) => c === 11;
      case "f":
        return (c) => c === 12;
      case "0":
        return (c) => c === 0;
      case "b":
        if (inClass) return (c) => c === 8;
        break;
      case "x":
      case "u": {
        const len = e === "x" ? 2 : 4;
        const hex = this.src.slice(this.i, this.i + len);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) this.fail("bad hex escape");
        this.i += len;
        const code = Number.parseInt(hex, 16);
        return (c) => c === code;
      }
    }
    if (/[A-Za-z0-9]/.test(e)) this.fail(`escape \\${e} not supported`);
    const code = e.charCodeAt(0);
    return (c) => c === code;
  }

  /** A single class member's code, or a class escape's test. */
  private classAtom(): { code: number } | { test: Test } {
    const c = this.src[this.i] as string;
    if (c !== "\\") {
      this.i++;
      return { code: c.charCodeAt(0) };
    }
    this.i++;
    const e = this.src[this.i] as string;
    if ("dDsSwW".includes(e)) return { test: this.escape(true) };
    const test = this.escape(true);
    // A single-character escape: find its code by probing (all such escapes test one code).
    for (const probe of [8, 9, 10, 11, 12, 13, 0]) if (test(probe)) return { code: probe };
    const prev = this.src.slice(this.i - 6, this.i);
    const hex = /\\u([0-9a-fA-F]{4})$/.exec(prev) ?? /\\x([0-9a-fA-F]{2})$/.exec(prev);
    if (hex) return { code: Number.parseInt(hex[1] as string, 16) };
    return { code: (this.src[this.i - 1] as string).charCodeAt(0) };
  }

  private cls(): Test {
    let neg = false;
    if (this.src[this.i] === "^") {
      neg = true;
      this.i++;
    }
    const tests: Test[] = [];
    while (this.src[this.i] !== "]") {
      if (this.i >= this.src.length) this.fail("missing ]");
      const a = this.classAtom();
      if ("code" in a && this.src[this.i] === "-" && this.src[this.i + 1] !== "]") {
        this.i++;
        const b = this.classAtom();
        if (!("code" in b)) this.fail("class range to an escape class");
        const lo = a.code;
        const hi = b.code;
        tests.push((c) => c >= lo && c <= hi);
      } else if ("code" in a) {
        const code = a.code;
        tests.push((c) => c === code);
      } else tests.push(a.test);
    }
    this.i++;
    return neg ? (c) => !tests.some((t) => t(c)) : (c) => tests.some((t) => t(c));
  }
}

export interface MeterResult {
  /** Steps taken: one per node entered and one per character tested in a loop. */
  steps: number;
  /** The match found, or null (to compare with what V8 found). */
  match: { index: number; end: number } | null;
}

const compiled = new Map<string, { root: Node; anchored: boolean }>();

function compile(source: string, flags: string): { root: Node; anchored: boolean } {
  const key = `${flags}/${source}`;
  let c = compiled.get(key);
  if (!c) {
    const root = new Parser(source, flags).parse();
    const startsWithBol = (n: Node): boolean =>
      n.t === "bol" ||
      (n.t === "seq" && n.items[0] !== undefined && startsWithBol(n.items[0])) ||
      (n.t === "alt" && n.alts.every(startsWithBol));
    c = { root, anchored: !flags.includes("m") && startsWithBol(root) };
    compiled.set(key, c);
  }
  return c;
}

/**
 * Runs `source`/`flags` on `input` from `lastIndex` as RegExp.prototype.exec would (lastIndex is
 * used only with g or y) and counts the steps a backtracking engine takes.
 */
export function meterExec(source: string, flags: string, input: string, lastIndex: number): MeterResult {
  const { root, anchored } = compile(source, flags);
  const multiline = flags.includes("m");
  const n = input.length;
  let steps = 0;

  const wordAt = (p: number): boolean => p >= 0 && p < n && isWord(input.charCodeAt(p));

  // Continuation-passing matcher: m(node, pos, k) is true when node matches at pos and k accepts.
  const m = (node: Node, pos: number, k: (p: number) => boolean): boolean => {
    steps++;
    switch (node.t) {
      case "char":
        return pos < n && node.test(input.charCodeAt(pos)) && k(pos + 1);
      case "bol":
        return (pos === 0 || (multiline && isLineTerm(input.charCodeAt(pos - 1)))) && k(pos);
      case "eol":
        return (pos === n || (multiline && isLineTerm(input.charCodeAt(pos)))) && k(pos);
      case "wordb":
        return (wordAt(pos - 1) !== wordAt(pos)) !== node.neg && k(pos);
      case "seq": {
        const step = (i: number, p: number): boolean =>
          i === node.items.length ? k(p) : m(node.items[i] as Node, p, (q) => step(i + 1, q));
        return step(0, pos);
      }
      case "alt":
        for (const a of node.alts) if (m(a, pos, k)) return true;
        return false;
      case "quant": {
        const { body, min, max, greedy } = node;
        if (body.t === "char") {
          // A loop over single characters: count how far it can go, then back off one at a time
          // (what irregexp's greedy loop does; no recursion per character).
          let far = 0;
          while (far < max && pos + far < n && body.test(input.charCodeAt(pos + far))) {
            steps++;
            far++;
          }
          if (far < min) return false;
          if (greedy) {
            for (let j = far; j >= min; j--) {
              steps++;
              if (k(pos + j)) return true;
            }
          } else {
            for (let j = min; j <= far; j++) {
              steps++;
              if (k(pos + j)) return true;
            }
          }
          return false;
        }
        const rec = (count: number, p: number): boolean => {
          steps++;
          const more = (): boolean =>
            count < max && m(body, p, (q) => (q === p && count >= min ? false : rec(count + 1, q)));
          if (greedy) return more() || (count >= min && k(p));
          return (count >= min && k(p)) || more();
        };
        return rec(0, pos);
      }
    }
  };

  const sticky = flags.includes("y");
  const from = flags.includes("g") || sticky ? lastIndex : 0;
  if (from > n) return { steps: 1, match: null };
  const last = sticky || anchored ? from : n;
  for (let start = from; start <= last; start++) {
    let end = -1;
    if (
      m(root, start, (p) => {
        end = p;
        return true;
      })
    ) {
      return { steps, match: { index: start, end } };
    }
  }
  return { steps, match: null };
}
