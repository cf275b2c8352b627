// "The numbers in code format": numbers with their unit, and timestamps, become inline code so
// they stand out in a reply. Works on already-escaped mrkdwn and leaves existing code spans alone.
const NUMBER =
  /(?<![\w./\\-])(?:\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?|\d+(?:[.,]\d+)*(?: ?(?:MB|KB|GB|TB|%|\/min|per minute))?)(?![\w/])/g;

export function codeNumbers(escaped: string): string {
  return escaped
    .split("`")
    .map((part, i) => (i % 2 === 1 ? part : part.replace(NUMBER, (m) => `\`${m}\``)))
    .join("`");
}
