// `kb validate`, an entry against the facts: every fact path of its conditions, templates, key
// numbers and ask_for, every `|format` and every `{cmd:…}` token, checked against the Facts schema.
// A mistyped path is reported here instead of silently leaving a line out of every diagnosis.
import { z } from "zod";
import { COMMAND_TOKEN, COMMANDS, commandTokens, SURFACE_COMMAND } from "../commands.js";
import { elementOf, type KeyDomain, kindOf, kindWords, type Resolved, resolvePath } from "../fact-schema.js";
import { Facts } from "../facts/index.js";
import { FORMATS } from "../format.js";
import type { Comparison, Condition, Entry, Line, Step } from "../schema.js";
import { PLACEHOLDER } from "../template.js";

/** A problem at a place in the entry (`evidence[2]`, `when.any[0].fact`). */
export type Report = (where: string, problem: string) => void;

/** Where a condition's paths start: the root facts, or a list element inside `where`. */
interface Scope {
  schema: z.ZodType;
  /** The path of the element as messages name it (`pool.filterTags.*`), empty at the root. */
  label: string;
}

const ROOT: Scope = { schema: Facts, label: "" };
const NUMERIC_OPS = ["gt", "gte", "lt", "lte"] as const;

export class EntryFactChecker {
  constructor(
    private readonly keys: ReadonlyMap<string, KeyDomain>,
    private readonly report: Report,
  ) {}

  private resolve(path: string, scope: Scope): Resolved {
    if (path === "@") {
      return scope === ROOT
        ? { ok: false, problem: `"@" (the list element) only means something inside a where` }
        : { ok: true, schema: scope.schema, kind: kindOf(scope.schema) };
    }
    if (path.startsWith("$.")) return resolvePath(Facts, path.slice(2), "", this.keys);
    return resolvePath(scope.schema, path, scope.label, this.keys);
  }

  private labelOf(path: string, scope: Scope): string {
    if (path.startsWith("$.")) return path.slice(2);
    return scope.label === "" ? path : `${scope.label}.${path}`;
  }

  /** The fact's schema when the path resolves; reports and returns null otherwise. */
  private fact(path: string, scope: Scope, where: string): Extract<Resolved, { ok: true }> | null {
    const r = this.resolve(path, scope);
    if (!r.ok) {
      this.report(where, r.problem);
      return null;
    }
    return r;
  }

  /** A literal compared with a fact: same kind, and one of the values of an enum fact. */
  private literal(value: unknown, fact: Extract<Resolved, { ok: true }>, path: string, where: string): void {
    const kind = typeof value === "number" ? "number" : typeof value === "boolean" ? "boolean" : "text";
    if (kind !== fact.kind) {
      this.report(where, `compares ${kindWords(kind)} with "${path}", which is ${kindWords(fact.kind)}`);
      return;
    }
    let s = fact.schema;
    while (s instanceof z.ZodNullable) s = s.unwrap() as z.ZodType;
    if (s instanceof z.ZodEnum && !s.options.includes(value as never)) {
      this.report(where, `"${String(value)}" is never a value of "${path}" (${s.options.join(", ")})`);
    }
  }

  private comparison(c: Comparison, where: string, scope: Scope): void {
    const fact = this.fact(c.fact, scope, `${where}.fact`);
    for (const op of NUMERIC_OPS) {
      const bound = c[op];
      if (bound === undefined) continue;
      if (fact && fact.kind !== "number") {
        this.report(`${where}.${op}`, `${op} compares numbers; "${c.fact}" is ${kindWords(fact.kind)}`);
      }
      if (typeof bound === "object") {
        const other = this.fact(bound.fact, scope, `${where}.${op}.fact`);
        if (other && other.kind !== "number") {
          this.report(
            `${where}.${op}`,
            `${op} compares numbers; "${bound.fact}" is ${kindWords(other.kind)}`,
          );
        }
      }
    }
    for (const op of ["eq", "ne"] as const) {
      const value = c[op];
      if (value === undefined) continue;
      if (typeof value === "object") {
        const other = this.fact(value.fact, scope, `${where}.${op}.fact`);
        if (fact && other && other.kind !== fact.kind) {
          this.report(
            `${where}.${op}`,
            `compares "${c.fact}" (${kindWords(fact.kind)}) with "${value.fact}" (${kindWords(other.kind)})`,
          );
        }
      } else if (fact) this.literal(value, fact, c.fact, `${where}.${op}`);
    }
    if (c.in !== undefined && fact) {
      for (const [i, v] of c.in.entries()) this.literal(v, fact, c.fact, `${where}.in[${i}]`);
    }
  }

  condition(c: Condition, where: string, scope: Scope = ROOT): void {
    if ("all" in c || "any" in c) {
      const [word, list] = "all" in c ? ["all", c.all] : ["any", c.any];
      for (const [i, x] of list.entries()) this.condition(x, `${where}.${word}[${i}]`, scope);
    } else if ("not" in c) this.condition(c.not, `${where}.not`, scope);
    else if ("some" in c || "every" in c) {
      const [word, path] = "some" in c ? ["some", c.some] : ["every", c.every];
      const list = this.fact(path, scope, `${where}.${word}`);
      if (!list) return;
      const element = elementOf(list.schema);
      if (!element) {
        this.report(`${where}.${word}`, `${word} needs a list; "${path}" is ${kindWords(list.kind)}`);
        return;
      }
      this.condition(c.where, `${where}.where`, { schema: element, label: `${this.labelOf(path, scope)}.*` });
    } else this.comparison(c, where, scope);
  }

  /** A template: its placeholders and formats, its command tokens (next steps only), nothing malformed. */
  template(text: string, where: string, commandsAllowed: boolean): void {
    const stripped = text.replace(PLACEHOLDER, (whole: string, path: string, format: string | undefined) => {
      const fact = this.fact(path, ROOT, where);
      if (!fact) return "x";
      if (format !== undefined) {
        const f = Object.hasOwn(FORMATS, format) ? FORMATS[format] : undefined;
        if (!f) {
          this.report(
            where,
            `unknown format "${format}" in ${whole} (formats: ${Object.keys(FORMATS).join(", ")})`,
          );
        } else if (f.accepts !== fact.kind) {
          this.report(
            where,
            `format "${format}" needs ${kindWords(f.accepts)}; "${path}" is ${kindWords(fact.kind)}`,
          );
        }
      } else if (fact.kind === "object" || fact.kind === "map") {
        this.report(where, `${whole} is ${kindWords(fact.kind)}; name one fact in it`);
      }
      return "x";
    });
    for (const token of commandTokens(stripped)) {
      if (!commandsAllowed) {
        this.report(
          where,
          `{cmd:${token.name}} belongs in next_steps, where each surface prints its own command`,
        );
      } else if (!Object.hasOwn(COMMANDS, token.name)) {
        this.report(
          where,
          `unknown command "${token.name}" in {cmd:…} (commands: ${Object.keys(COMMANDS).join(", ")})`,
        );
      }
    }
    for (const m of stripped.replace(COMMAND_TOKEN, "").match(/\{[A-Za-z$@][^{}]*\}?/g) ?? []) {
      this.report(
        where,
        `"${m}" is not a placeholder: write {fact.path}, {fact.path|format} or {cmd:name args}`,
      );
    }
    this.surfaceCommands(stripped, where);
  }

  /** Text shown on every surface must not name one surface's command. */
  surfaceCommands(text: string, where: string): void {
    const surface = SURFACE_COMMAND.exec(text);
    if (surface) {
      this.report(
        where,
        `names "${surface[2]}", one surface's command: write {cmd:lookup …} and each surface prints its own`,
      );
    }
  }

  line(line: Line | Step, where: string, commandsAllowed: boolean): void {
    if (typeof line === "string") {
      this.template(line, where, commandsAllowed);
    } else {
      if (line.when) this.condition(line.when, `${where}.when`);
      if ("moot_when" in line && line.moot_when) this.condition(line.moot_when, `${where}.moot_when`);
      this.template(line.text, `${where}.text`, commandsAllowed);
    }
  }

  entry(entry: Entry): void {
    if (entry.when) this.condition(entry.when, "when");
    if (Array.isArray(entry.confidence)) {
      entry.confidence.forEach((c, i) => {
        if (c.when) this.condition(c.when, `confidence[${i}].when`);
      });
    }
    if (Array.isArray(entry.headline)) {
      for (const [i, l] of entry.headline.entries()) this.line(l, `headline[${i}]`, false);
    } else if (entry.headline !== undefined) this.line(entry.headline, "headline", false);
    for (const [i, l] of entry.evidence.entries()) this.line(l, `evidence[${i}]`, false);
    for (const [i, l] of entry.next_steps.entries()) this.line(l, `next_steps[${i}]`, true);
    for (const [name, path] of Object.entries(entry.numbers)) {
      const fact = this.fact(path, ROOT, `numbers.${name}`);
      if (fact && fact.kind !== "number" && fact.kind !== "text") {
        this.report(
          `numbers.${name}`,
          `"${path}" is ${kindWords(fact.kind)}; key numbers are numbers or text`,
        );
      }
    }
    entry.ask_for.forEach((a, i) => {
      this.fact(a.missing, ROOT, `ask_for[${i}].missing`);
      if (a.when) this.condition(a.when, `ask_for[${i}].when`);
      this.surfaceCommands(a.paste, `ask_for[${i}].paste`);
    });
  }
}

/** Every problem of one entry's facts, formats and commands, as `where: problem`. */
export function checkEntryFacts(entry: Entry, keys: ReadonlyMap<string, KeyDomain>): string[] {
  const problems: string[] = [];
  new EntryFactChecker(keys, (where, problem) => problems.push(`${where}: ${problem}`)).entry(entry);
  return problems;
}
