// IIS W3C field lists and the fields read as numbers.

/** IIS 7 to 10 default W3C fields (15). */
export const IIS7_DEFAULT_FIELDS: readonly string[] = Object.freeze([
  "date",
  "time",
  "s-ip",
  "cs-method",
  "cs-uri-stem",
  "cs-uri-query",
  "s-port",
  "cs-username",
  "c-ip",
  "cs(User-Agent)",
  "cs(Referer)",
  "sc-status",
  "sc-substatus",
  "sc-win32-status",
  "time-taken",
]);

/** IIS 6 default W3C fields (14: `s-sitename`, no referer, no time-taken). */
export const IIS6_DEFAULT_FIELDS: readonly string[] = Object.freeze([
  "date",
  "time",
  "s-sitename",
  "s-ip",
  "cs-method",
  "cs-uri-stem",
  "cs-uri-query",
  "s-port",
  "cs-username",
  "c-ip",
  "cs(User-Agent)",
  "sc-status",
  "sc-substatus",
  "sc-win32-status",
]);

export const NUMERIC_FIELDS: ReadonlySet<string> = new Set([
  "s-port",
  "sc-status",
  "sc-substatus",
  "sc-win32-status",
  "time-taken",
  "sc-bytes",
  "cs-bytes",
]);

/** Fields only IIS access logs have (an HTTPERR `#Fields:` line never names them). */
export const IIS_ONLY_FIELDS: readonly string[] = [
  "cs-uri-stem",
  "sc-substatus",
  "sc-win32-status",
  "time-taken",
];

const METHOD = /^[A-Z][A-Z-]{2,15}$/;
const STATUS = /^[1-5]\d\d$/;

/**
 * A data line in the shape of an IIS access log (tokens already split): a method followed by a
 * path, and a 3-digit status followed by substatus and win32 status (and time-taken) at the end.
 */
export function looksLikeIisRequest(tok: readonly string[]): boolean {
  if (tok.length < 10) return false;
  let method = -1;
  for (let k = 2; k < Math.min(tok.length - 1, 8); k++) {
    if (METHOD.test(tok[k] as string) && (tok[k + 1] as string).startsWith("/")) {
      method = k;
      break;
    }
  }
  if (method === -1) return false;
  const n = tok.length;
  const digits = (k: number): boolean => /^\d+$/.test(tok[k] ?? "");
  // … sc-status sc-substatus sc-win32-status [time-taken]
  if (STATUS.test(tok[n - 3] ?? "") && digits(n - 2) && digits(n - 1)) return true;
  return STATUS.test(tok[n - 4] ?? "") && digits(n - 3) && digits(n - 2) && digits(n - 1);
}
