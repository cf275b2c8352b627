// Reading the times people paste. Only differences between two times matter to the facts, so every
// time is read as UTC and the zone it was written in is irrelevant.

/**
 * ISO (`2024-03-01 09:00:04`) or the US short form `cmd`'s `%date% %time%` prints
 * (`03/01/2024  9:00:04.17`, `3/1/2024 9:00 PM`), anywhere in the text; epoch ms, or null.
 */
export function parseLooseTime(text: string): number | null {
  const iso = /(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?(?:[.,](\d+))?/.exec(text);
  const us =
    /(\d{1,2})[/.](\d{1,2})[/.](\d{2,4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:[.,](\d+))?\s?([AaPp][Mm])?/.exec(
      text,
    );
  let parts: number[];
  if (iso) {
    parts = [iso[1], iso[2], iso[3], iso[4], iso[5], iso[6] ?? "0"].map(Number);
  } else if (us) {
    const year = Number(us[3]) < 100 ? 2000 + Number(us[3]) : Number(us[3]);
    let hour = Number(us[4]) % 12;
    if (us[8] === undefined) hour = Number(us[4]);
    else if (/p/i.test(us[8])) hour += 12;
    parts = [year, Number(us[1]), Number(us[2]), hour, Number(us[5]), Number(us[6] ?? "0")];
  } else {
    return null;
  }
  const [y = 0, mo = 1, d = 1, h = 0, mi = 0, sec = 0] = parts;
  const t = Date.UTC(y, mo - 1, d, h, mi, sec);
  return Number.isFinite(t) ? t : null;
}

/** Whole minutes from one W3C log time (`2007-11-13 19:58:12`) to another, or null. */
export function minutesBetween(first: string | null, last: string | null): number | null {
  if (first === null || last === null) return null;
  const a = Date.parse(`${first.replace(" ", "T")}Z`);
  const b = Date.parse(`${last.replace(" ", "T")}Z`);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return null;
  return Math.round((b - a) / 60_000);
}
