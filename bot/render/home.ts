// The App Home tab: what Tattletale reads, how to use it, my open incidents and the latest ones.
import type { types } from "@slack/bolt";
import type { Incident } from "../../incidents/index.js";
import { escapeMrkdwn, inlineCode, mrkdwnLink } from "./escape.js";
import { channelRef, userRef } from "./incident-actions.js";
import { type Block, context, fitBlocks, header, LIMITS, mrkdwnSection, truncate } from "./limits.js";

const SEVERITY: Record<string, string> = { critical: "🔴", warning: "🟠", info: "🔵", none: "⚪" };
const MAX_LISTED = 10;

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

export interface HomeModel {
  readable: string;
  /** Newest first. */
  latest: Incident[];
  /** Open or acknowledged incidents the viewer owns or reported and nobody owns, newest first. */
  mine: Incident[];
  /** Set when the incident file could not be read (the bot keeps answering pastes). */
  storeProblem?: string;
}

const newestFirst = (a: Incident, b: Incident) => b.updatedAt.localeCompare(a.updatedAt);

/**
 * The two lists of the viewer's App Home from every incident on file: theirs (open or acknowledged,
 * owned by them, or reported by them and owned by nobody) and the latest week's across channels.
 * Direct-message incidents are listed only to the people who pasted in them.
 */
export function homeLists(
  incidents: Incident[],
  viewer: string,
  nowMs: number,
): { mine: Incident[]; latest: Incident[] } {
  const visible = incidents.filter(
    (i) => !i.channel.startsWith("D") || i.reportedBy === viewer || i.contributors.includes(viewer),
  );
  const mine = visible
    .filter((i) => i.status !== "resolved")
    .filter((i) => i.owner === viewer || (i.owner === null && i.reportedBy === viewer))
    .sort(newestFirst);
  const latest = visible.filter((i) => Date.parse(i.updatedAt) >= nowMs - WEEK_MS).sort(newestFirst);
  return { mine, latest };
}

function incidentLine(i: Incident): string {
  const what = truncate(escapeMrkdwn(i.headline ?? i.findings[0]?.title ?? "no findings"), 1000);
  const where = i.permalink ? mrkdwnLink(i.permalink, "thread") : "thread";
  const when = i.updatedAt.slice(0, 16).replace("T", " ");
  const owner = i.status === "resolved" ? "" : i.owner ? ` · owner ${userRef(i.owner)}` : " · no owner";
  const notes = i.notes?.length ? ` · ${i.notes.length} 📝` : "";
  return `${SEVERITY[i.severity] ?? "⚪"} ${channelRef(i.channel)} · ${where} · ${inlineCode(i.status)}${owner}${notes} · ${escapeMrkdwn(when)} UTC\n${what}`;
}

function list(title: string, incidents: Incident[], empty: string): Block[] {
  if (incidents.length === 0) return [mrkdwnSection(`*${title}*\n_${empty}_`)];
  return [
    mrkdwnSection(`*${title}*`),
    ...incidents.slice(0, MAX_LISTED).map((i) => mrkdwnSection(incidentLine(i))),
  ];
}

export function renderHome(m: HomeModel): types.HomeView {
  const blocks: Block[] = [
    header("Tattletale"),
    mrkdwnSection(
      "Paste what your Windows/IIS server tattles in a channel I'm in, in a DM, or mention me; " +
        "more pastes in the same thread are read together. `/tattle QUERY` looks things up, " +
        "`/tattle handoff` sums up the shift, and ⋮ → _Diagnose with Tattletale_ works on any message.",
    ),
    mrkdwnSection(`*What I read*\n${escapeMrkdwn(m.readable)}`),
  ];
  if (m.storeProblem)
    blocks.push(context([`⚠️ Incident history is unavailable: ${escapeMrkdwn(m.storeProblem)}`]));
  blocks.push({ type: "divider" });
  blocks.push(...list("Your open incidents", m.mine, "none"));
  blocks.push(...list("Latest incidents", m.latest, "nothing diagnosed yet"));
  return { type: "home", blocks: fitBlocks(blocks, LIMITS.homeBlocks) };
}
