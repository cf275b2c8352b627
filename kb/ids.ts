// Finding ids of http.sys reason phrases, by the project's fixed rule: split at `_`, `/` and each
// lower-to-upper change, lower-case, join with `-` (`Timer_MinBytesPerSecond` →
// `httperr-timer-min-bytes-per-second`, `Invalid_CR/LF` → `httperr-invalid-cr-lf`).
export function reasonPhraseId(phrase: string): string {
  const words = phrase
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[_/\s]+/)
    .filter((w) => w.length > 0)
    .map((w) => w.toLowerCase());
  return `httperr-${words.join("-")}`;
}

/** `3_Connections_Refused` → `Connections_Refused`: http.sys folds N refusals into one line. */
export function canonicalReason(reason: string): string {
  const m = /^(\d+)_(.+)$/.exec(reason);
  return m?.[2] ?? reason;
}
