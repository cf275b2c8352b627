// Parses each text of one paste's handling once. The trigger message is read twice: alone, to see
// whether it holds anything readable, then with its thread, where it may be `message 3` rather than
// `message 1`. A text seen before is renamed instead of parsed again: parsing names a text's inputs
// `source`, `source#2`, `source#3`… and nothing else in them depends on the name.
import type { TimedInput } from "../../kb/derive.js";
import { parseTexts, type TextInput } from "../../kb/index.js";

/** `parseTexts`, remembering what each text gave; make one per paste so nothing outlives it. */
export function parseOnce(): (texts: TextInput[]) => TimedInput[] {
  const seen = new Map<string, { source: string; inputs: TimedInput[] }>();
  return (texts) =>
    texts.flatMap((t) => {
      let first = seen.get(t.text);
      if (!first) {
        first = { source: t.source, inputs: parseTexts([t]) };
        seen.set(t.text, first);
        return first.inputs;
      }
      const from = first.source;
      return first.inputs.map(({ input }) => ({
        input: { ...input, source: t.source + input.source.slice(from.length) },
        at: t.at,
      }));
    });
}
