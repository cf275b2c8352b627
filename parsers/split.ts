// Finds the pieces inside a chat message or a file: HTTPERR lines, poolmon tables, boot.ini,
// bcdedit, Event Log text, pool counters (every kind of the registry), with the prose around them
// dropped. Two steps: normalizePaste undoes what Slack and copy/paste do to text; splitPieces walks
// the lines once, asking each kind how strongly a line is its own (cheap anchored checks, in the
// kind's module), and groups runs of lines of one kind.
import type { Piece, PieceOf } from "./evidence.js";
import { KINDS } from "./kinds/index.js";
import type { AnyKindModule, LineAt, Strength } from "./kinds/module.js";
import type { KindRegistry } from "./kinds/registry.js";
import { splitLines, trimStartAll } from "./text.js";

// ---------- normalisation ----------

/** Slack's link markup: `<http://boot.ini|boot.ini>` (auto-linked text) or `<https://x>`. */
const SLACK_LINK = /<((?:https?|mailto|ftp):[^<>|\s]*)(?:\|([^<>]*))?>/g;

/** A fence's language tag: one word alone on the fence's line (```log, ```text, ```boot.ini). */
const FENCE_TAG = /^[A-Za-z0-9_+.-]{1,20}[ \t]*\n/;

/**
 * Undoes what chat and copy/paste do to text: CRLF/CR → LF; NBSP, narrow NBSP, figure space and the
 * other Unicode spaces → space (tabs stay, they separate columns); zero-width characters removed;
 * Slack link markup unwrapped to its label; Slack's entity escaping decoded (`&lt;` `&gt;` `&amp;`,
 * `&amp;` last so that `&amp;gt;` stays `&gt;`); Slack quote markers (`> `, `>>> `) stripped; code
 * fences unwrapped (with or without a language tag, also inline on a line of text); a line wrapped
 * whole in single backticks unwrapped. Each fence becomes a blank line (a boundary between pieces):
 * a fence alone on its line keeps the line numbers of the original message, an inline fence adds
 * lines.
 */
export function normalizePaste(text: string): string {
  let s = text.replace(/\r\n?/g, "\n");
  s = s.replace(/\u200B|\u200C|\u200D|\u2060|\uFEFF/g, "");
  s = s.replace(/[\u00A0\u202F\u2000-\u200A\u205F\u3000]/g, " ");
  s = s.replace(SLACK_LINK, (_m, url: string, label: string | undefined) => label ?? url);
  s = s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  s = s.replace(/^(?:>>>|>) ?/gm, "");
  s = unwrapFences(s);
  s = s.replace(/^([ \t]*)`([^`\n]+)`[ \t]*$/gm, "$1$2");
  return s;
}

function unwrapFences(s: string): string {
  if (!s.includes("```")) return s;
  const parts = s.split("```");
  // Chunks and the last character written, rather than `out +=` and `out.endsWith`, which can
  // flatten a growing rope on every fence (quadratic on a message of thousands of backticks).
  const out: string[] = [parts[0] as string];
  let last = (parts[0] as string).at(-1) ?? "";
  for (let i = 1; i < parts.length; i++) {
    let part = parts[i] as string;
    // Odd parts are inside a fence; a lone word right after the opening fence is a language tag.
    if (i % 2 === 1) part = part.replace(FENCE_TAG, "\n");
    // The fence becomes a blank line of its own: a fence is a boundary (text after a closing fence
    // is not part of the block), and a fence already alone on its line keeps the line count.
    if (last !== "" && last !== "\n") {
      out.push("\n");
      last = "\n";
    }
    if (part.length === 0) continue;
    if (!part.startsWith("\n")) out.push("\n");
    out.push(part);
    last = part.at(-1) as string;
  }
  return out.join("");
}

// ---------- line classification ----------
// Each kind's module says how strongly a line belongs to it (see Strength in kinds/module.ts); the
// splitter only groups runs of lines and asks the registry's kinds, in order of precedence.

/** The kind a line would start a piece of: the strongest claim, ties to the earlier kind. */
function startOf(
  kinds: readonly AnyKindModule[],
  at: LineAt,
): { module: AnyKindModule; strength: Strength } | null {
  let best: { module: AnyKindModule; strength: Strength } | null = null;
  for (const module of kinds) {
    const strength = module.lines.start(at);
    if (strength > 0 && (best === null || strength > best.strength)) best = { module, strength };
    if (strength === 2) break;
  }
  return best;
}

/** True when some kind other than `module` claims the line outright (strength 2). */
function provesOther(kinds: readonly AnyKindModule[], module: AnyKindModule, at: LineAt): boolean {
  for (const other of kinds) {
    if (other !== module && other.lines.start(at) === 2) return true;
  }
  return false;
}

interface Open {
  module: AnyKindModule;
  start: number;
  /** Last non-blank line of the piece. */
  end: number;
  strong: boolean;
  /** The kind's own state for this piece (see LineRecogniser.open). */
  state: unknown;
}

/** How a line continues the open piece: 0 it does not, else its strength for the piece's kind. */
function continues(kinds: readonly AnyKindModule[], open: Open, at: LineAt, afterBlank: boolean): Strength {
  const lines = open.module.lines;
  if (!lines.continues) return lines.start(at);
  return lines.continues(at, {
    afterBlank,
    state: open.state,
    provesOther: () => provesOther(kinds, open.module, at),
  });
}

/**
 * Splits a (normalised) paste into pieces, one per contiguous run of lines of one kind, with the
 * header lines that belong to it. Prose between pieces is dropped; blank lines inside a piece are
 * kept when the line after them continues the piece. `line` is 1-based in the text given here.
 * Linear: each line is classified a bounded number of times with anchored, non-nested patterns.
 */
export function splitPieces(text: string): Piece[];
export function splitPieces<M extends AnyKindModule>(
  text: string,
  registry: KindRegistry<M>,
): PieceOf<M["kind"]>[];
export function splitPieces(text: string, registry: KindRegistry = KINDS): PieceOf<string>[] {
  const kinds = registry.modules;
  const lines = splitLines(text);
  const pieces: PieceOf<string>[] = [];
  const at = (i: number): LineAt => ({ lines, i, line: lines[i] as string });
  let open: Open | null = null;

  const close = (): void => {
    if (open?.strong) {
      pieces.push({
        kind: open.module.kind,
        text: lines.slice(open.start, open.end + 1).join("\n"),
        line: open.start + 1,
      });
    }
    open = null;
  };

  let i = 0;
  while (i < lines.length) {
    const line = lines[i] as string;
    if (trimStartAll(line).length === 0) {
      // Decide once per run of blank lines, from the first line after the run.
      let j = i + 1;
      while (j < lines.length && trimStartAll(lines[j] as string).length === 0) j++;
      if (open !== null && j < lines.length) {
        const s = continues(kinds, open, at(j), true);
        if (s > 0) {
          open.end = j;
          if (s === 2) open.strong = true;
          i = j + 1;
          continue;
        }
      }
      close();
      i = j;
      continue;
    }
    if (open !== null) {
      const s = continues(kinds, open, at(i), false);
      if (s > 0) {
        open.end = i;
        if (s === 2) open.strong = true;
        i++;
        continue;
      }
      close();
    }
    const here = at(i);
    const start = startOf(kinds, here);
    if (start !== null) {
      open = {
        module: start.module,
        start: i,
        end: i,
        strong: start.strength === 2,
        state: start.module.lines.open?.(here),
      };
    }
    i++;
  }
  close();
  return pieces;
}
