// One incident per Slack thread: the id is the thread's address, readable in the file and stable
// across restarts, so a later paste in the same thread finds its incident.
export function incidentId(p: { workspace: string; channel: string; threadTs: string }): string {
  return `${p.workspace}:${p.channel}:${p.threadTs}`;
}
