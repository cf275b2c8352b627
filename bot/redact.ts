// Secrets never reach a log line, an error message or a crash report: Slack tokens by their shape,
// the configured secrets by value, bearer credentials, the legacy verification `token` field of
// Slack's payloads (logged at debug level) and the Socket Mode connection ticket.
const TOKEN_SHAPES = [
  /\bxoxe\.xox[a-z]-[A-Za-z0-9.-]+/g,
  /\bxox[a-z]-[A-Za-z0-9-]+/g,
  /\bxapp-[A-Za-z0-9-]+/g,
];

/** Field-shaped secrets: `"token":"…"` in JSON, `token=…` in a form body or URL, `ticket=…` in a WSS URL. */
const FIELD_SHAPES: Array<[RegExp, string]> = [
  [/("(?:token|client_secret|signing_secret)"\s*:\s*")[^"]*(")/gi, "$1[redacted]$2"],
  [/([?&\s]|^)((?:token|ticket|client_secret)=)[^&\s"',]+/gi, "$1$2[redacted]"],
  [/(Bearer\s+)[^\s"',]+/gi, "$1[redacted]"],
];

export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 6) out = out.split(secret).join("[redacted]");
  for (const shape of TOKEN_SHAPES) out = out.replace(shape, (m) => `${m.slice(0, 5)}[redacted]`);
  for (const [shape, replacement] of FIELD_SHAPES) out = out.replace(shape, replacement);
  return out;
}
