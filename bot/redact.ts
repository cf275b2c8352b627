// Secrets never reach a log line, an error message or a crash report: Slack tokens by their shape,
// and the configured secrets by value.
const TOKEN_SHAPES = [
  /\bxox[a-z]-[A-Za-z0-9-]+/g,
  /\bxapp-[A-Za-z0-9-]+/g,
  /\bxoxe\.xox[a-z]-[A-Za-z0-9.-]+/g,
];

export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 6) out = out.split(secret).join("[redacted]");
  for (const shape of TOKEN_SHAPES) out = out.replace(shape, (m) => `${m.slice(0, 5)}[redacted]`);
  return out.replace(/(Bearer\s+)[^\s"',]+/gi, "$1[redacted]");
}
