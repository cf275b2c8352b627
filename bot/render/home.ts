// The App Home tab: what Tattletale reads, how to use it, and the latest incidents.
import type { types } from "@slack/bolt";
import type { Incident } from "../store/index.js";
import { escapeMrkdwn, inlineCode, mrkdwnLink } from "./escape.js";
import { type Block, context, fitBlocks, header, LIMITS, mrkdwnSection } from "./limits.js";

const SEVERITY: Record<string, string> = { critical: "🔴", warning: "🟠", info: "🔵", none: "⚪" };
const MAX_LISTED = 10;

export interface HomeModel {
  readable: string;
  /** Newest first. */
  latest: Incident[];
  /** Open or acknowledged incidents the viewer owns, newest first. */
  mine: Incident[];
  /** Set when the incident file could not be read (the bot keeps answering pastes). */
  storeProblem?: string;
}

function channelRef(id: string): string {
  return /^[CGD][A-Z0-9]+$/.test(id) ? `<#${id}>` : escapeMrkdwn(id);
}

function incidentLine(i: Incident): string {
  const what = escapeMrkdwn(i.headline ?? i.findings[0]?.title ?? "no findings");
  const where = i.permalink ? mrkdwnLink(i.permalink, "thread") : "thread";
  const when = i.updatedAt.slice(0, 16).replace("T", " ");
  return `${SEVERITY[i.severity] ?? "⚪"} ${channelRef(i.channel)} · ${where} · ${inlineCode(i.status)} · ${escapeMrkdwn(when)} UTC\n${what}`;
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
