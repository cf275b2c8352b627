// One CSV line as Windows tools write it: typeperf and relog quote every field, PowerShell's
// Export-Csv quotes every field (`""` inside a field is a quote), hand-written scripts quote none.
// One pass over the characters, never throws.

/** The delimiter a header line uses: `,`, or `;` (Export-Csv -UseCulture in many locales), or a tab. */
export function csvDelimiter(header: string): string {
  let comma = 0;
  let semicolon = 0;
  let tab = 0;
  let quoted = false;
  for (let i = 0; i < header.length; i++) {
    const c = header[i];
    if (c === '"') quoted = !quoted;
    else if (quoted) continue;
    else if (c === ",") comma++;
    else if (c === ";") semicolon++;
    else if (c === "\t") tab++;
  }
  if (semicolon > comma && semicolon >= tab) return ";";
  if (tab > comma && tab > semicolon) return "\t";
  return ",";
}

/**
 * The fields of one CSV line, unquoted (`"a ""b"""` → `a "b"`); spaces around a quoted field are
 * dropped, spaces inside an unquoted field are kept. A quote left open runs to the end of the line.
 */
export function csvFields(line: string, delimiter = ","): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  let wasQuoted = false;
  // Whether cur holds only spaces so far: kept as a flag, since trimming cur at every quote would
  // re-scan a growing field.
  let blank = true;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quoted) {
      if (c === '"') {
        if (line[i + 1] === '"') {
          cur += '"';
          i++;
        } else quoted = false;
      } else cur += c;
    } else if (c === delimiter) {
      out.push(wasQuoted ? cur : cur.trim());
      cur = "";
      wasQuoted = false;
      blank = true;
    } else if (c === '"' && blank && !wasQuoted) {
      cur = "";
      quoted = true;
      wasQuoted = true;
    } else if (!(wasQuoted && (c === " " || c === "\t"))) {
      cur += c;
      if (c.trim() !== "") blank = false;
    }
  }
  out.push(wasQuoted ? cur : cur.trim());
  return out;
}
