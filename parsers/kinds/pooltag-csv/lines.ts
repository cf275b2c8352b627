// Which lines belong to a pooltag-csv piece: a CSV header with a Tag column and a bytes column, and
// rows that name a pool type (`Nonp`, `NonPaged`, `Paged`), prove it; Export-Csv's `#TYPE` line and
// other rows of the CSV can belong to one.
import type { Continuation, LineAt, LineRecogniser, Strength } from "../module.js";

// ` *`, not `\s*`: a tab is a delimiter too, and `\s*` after one would retry every tab of a run.
const FIELD_END = String.raw`"? *(?:[,;\t]|$)`;
const TAG_COLUMN = new RegExp(String.raw`(?:^|[,;\t]) *"?(?:Pool)?Tag${FIELD_END}`, "i");
const BYTES_COLUMN = new RegExp(
  String.raw`(?:^|[,;\t]) *"?(?:NumberOf|Paged|NonPaged|Size)?(?:Bytes|Used|MB) *(?:\((?:MB|KB)\))?${FIELD_END}`,
  "i",
);
const TYPE_FIELD = new RegExp(String.raw`[,;\t] *"?(?:Nonp|NonPaged|Non-Paged|Paged)${FIELD_END}`, "i");
const NUMBER_FIELD = new RegExp(String.raw`[,;\t] *"?\d+(?:\.\d+)?${FIELD_END}`);

function pooltagLine(line: string): Strength {
  if (TAG_COLUMN.test(line) && BYTES_COLUMN.test(line)) return 2;
  if (TYPE_FIELD.test(line) && NUMBER_FIELD.test(line)) return 2;
  if (/^\s*#TYPE\s+\S/.test(line)) return 1;
  return 0;
}

function continuesPooltag({ line }: LineAt, { afterBlank, provesOther }: Continuation<undefined>): Strength {
  const s = pooltagLine(line);
  if (s === 2) return 2;
  if (afterBlank || provesOther()) return 0;
  // Another row of the CSV (the wide layout has no type column).
  return s === 1 || /[,;\t]/.test(line) ? 1 : 0;
}

export const pooltagCsvLines: LineRecogniser<undefined> = {
  start: ({ line }) => pooltagLine(line),
  continues: continuesPooltag,
};
