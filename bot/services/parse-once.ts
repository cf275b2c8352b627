// Parses each text of one paste's handling once, and diagnoses them. The trigger message is read
// twice: alone, to see whether it holds anything readable, then with its thread, where it may be
// `message 3` rather than `message 1`. A text seen before is renamed instead of parsed again: parsing
// names a text's inputs `source`, `source#2`, `source#3`… and nothing else in them depends on the name.
// Small texts are parsed here; big ones in a worker thread (parse-worker.ts), where they are then
// diagnosed too, so that the main thread never spends more than a few milliseconds on one text.
import type { TimedInput } from "../../kb/derive.js";
import { type Diagnosis, diagnose, type KnowledgeBase, parseTexts, type TextInput } from "../../kb/index.js";
import { type DiagnoseItem, type ParseWorkers, renameInputs, type WorkerSession } from "./parse-worker.js";

/** Texts this long or longer are parsed off the main thread (about 256 KB: a few ms to parse here). */
export const OFF_THREAD_CHARS = 256 * 1024;

/** A text to parse, and, for a big file, the same text in pieces (sent to the worker as they are). */
export type TextPiece = TextInput & { parts?: string[] };

export interface PasteParser {
  /** Whether any of the texts holds something readable. */
  readable(texts: TextPiece[]): Promise<boolean>;
  /** Parses what was not parsed yet and diagnoses it all, with the already summarised `streamed` inputs. */
  diagnose(kb: KnowledgeBase, texts: TextPiece[], streamed: TimedInput[]): Promise<Diagnosis>;
  /** Frees what the worker holds for this paste. */
  end(): void;
}

/** One per paste, so nothing outlives it. Without workers every text is parsed on this thread. */
export function parseOnce(workers?: ParseWorkers, offThreadChars = OFF_THREAD_CHARS): PasteParser {
  const here = new Map<string, { source: string; inputs: TimedInput[] }>();
  /** By the file's pieces (the same object each time the file is read), or by a message's text. */
  const there = new Map<string[] | string, Promise<{ textId: number; inputs: number }>>();
  let session: WorkerSession | undefined;
  const big = (t: TextPiece) => workers?.available === true && t.text.length >= offThreadChars;

  function parseHere(t: TextInput): TimedInput[] {
    let first = here.get(t.text);
    if (!first) {
      first = { source: t.source, inputs: parseTexts([t]) };
      here.set(t.text, first);
      return first.inputs;
    }
    return renameInputs(first.inputs, first.source, t.source, t.at);
  }

  function parseThere(t: TextPiece): Promise<{ textId: number; inputs: number }> {
    // Not keyed by a big file's text: two texts of one length are compared in full, which makes
    // each one flat string (a 24 MB copy on this thread). Its pieces are the same object each read.
    const key = t.parts ?? t.text;
    let parsed = there.get(key);
    if (!parsed) {
      session ??= (workers as ParseWorkers).session();
      parsed = session.parse(t.parts ?? [t.text], t.source);
      there.set(key, parsed);
    }
    return parsed;
  }

  return {
    async readable(texts) {
      for (const t of texts) {
        if (big(t) ? (await parseThere(t)).inputs > 0 : parseHere(t).length > 0) return true;
      }
      return false;
    },

    async diagnose(kb, texts, streamed) {
      if (!texts.some(big)) return diagnose(kb, [...texts.flatMap(parseHere), ...streamed]);
      const items: DiagnoseItem[] = [];
      for (const t of texts) {
        if (big(t)) items.push({ textId: (await parseThere(t)).textId, source: t.source, at: t.at });
        else items.push(...parseHere(t).map((input) => ({ input })));
      }
      items.push(...streamed.map((input) => ({ input })));
      return (session as WorkerSession).diagnose(items);
    },

    end() {
      session?.end();
    },
  };
}
