// What a file is, from its name and its first bytes: gzip, a tarball, an HTTPERR log, or something
// that is not text at all (an Event Log file, a dump, a picture), with what to send instead.
import { isHttperrLine } from "../parsers/kinds/httperr/parse.js";
import { splitLines } from "../parsers/text.js";

export const ARCHIVE_NOTE = "is an archive: share the text files inside it.";

/** Whether bytes start with gzip's signature, 1f 8b (whatever the file is called). */
export function hasGzipMagic(head: Uint8Array): boolean {
  return head[0] === 0x1f && head[1] === 0x8b;
}

/** Whether a name says gzip (`httperr1.log.gz`). */
export function isGzipName(name: string): boolean {
  return /\.gz$/i.test(name);
}

/** A POSIX tar header (`ustar` at offset 257): a .tar.gz under another name. */
export function isTar(head: Uint8Array): boolean {
  return new TextDecoder("latin1").decode(head.subarray(257, 262)) === "ustar";
}

/** Whether the start of a text reads as an HTTPERR log (a header line or a data line in the first 50). */
export function looksLikeHttperr(headText: string): boolean {
  return splitLines(headText)
    .slice(0, 50)
    .some((l) => isHttperrLine(l));
}

/**
 * Files that are not text, by name or type alone (so they need not be read), with what to send
 * instead. A lone .gz is one compressed file and is read; .tar.gz and other archives hold many.
 */
export function notTextNote(name: string, mimetype?: string | null, filetype?: string | null): string | null {
  const lower = name.toLowerCase();
  const mime = (mimetype ?? "").toLowerCase();
  const ext = lower.includes(".") ? lower.slice(lower.lastIndexOf(".") + 1) : (filetype ?? "").toLowerCase();
  if (ext === "evtx" || ext === "evt")
    return "is a binary Event Log file: export it as text (`wevtutil qe System /f:text > system.txt`, or `Get-WinEvent … | Format-List`) and share that.";
  if (["dmp", "mdmp", "hdmp"].includes(ext))
    return "is a memory dump, which I can't read: paste the debugger's `!vm` output or `poolmon -b` instead.";
  if (ext === "etl") return "is a binary trace (ETL): I read text logs only.";
  if (["zip", "tgz", "7z", "rar", "cab", "tar"].includes(ext) || lower.endsWith(".tar.gz"))
    return ARCHIVE_NOTE;
  if (
    /^(image|video|audio)\//.test(mime) ||
    ["png", "jpg", "jpeg", "gif", "bmp", "webp", "heic"].includes(ext)
  )
    return "is a picture or a recording: I read text, so paste the text or share the log file.";
  if (["pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx"].includes(ext) || mime === "application/pdf")
    return "is a document: paste the text from it instead.";
  return null;
}
