// Slack reads `<…>` in mrkdwn as a mention, a channel, a broadcast or a link. Everything that came
// from a user (pastes, file names, queries) or that the KB filled in from user text is escaped
// before it is echoed, so `<!channel>`, `<!here>` and `<@U123>` arrive as plain text and ping nobody.

/** Escapes the three characters Slack's mrkdwn (and the message `text` field) treats as control. */
export function escapeMrkdwn(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A link we build ourselves: the URL must not break out of `<url|label>`, the label is escaped. */
export function mrkdwnLink(url: string, label: string): string {
  const safeUrl = url.replace(/[<>|\s]/g, (c) => encodeURIComponent(c));
  if (!/^https?:\/\//i.test(safeUrl)) return escapeMrkdwn(label);
  return `<${safeUrl}|${escapeMrkdwn(label).replace(/\|/g, "¦")}>`;
}

/** Inline code of user text: escaped, and backticks replaced so the span cannot be closed early. */
export function inlineCode(s: string): string {
  return `\`${escapeMrkdwn(s).replace(/`/g, "ˋ")}\``;
}
