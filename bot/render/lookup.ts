// The answer to `/tattle QUERY`: the best knowledge-base hits, ephemeral, with a share button.
import type { LookupResult } from "../../kb/index.js";
import type { RenderedMessage } from "./diagnosis.js";
import { escapeMrkdwn, inlineCode, mrkdwnLink } from "./escape.js";
import { type Block, context, fitBlocks, LIMITS, mrkdwnSection, truncate } from "./limits.js";

export const SHARE_LOOKUP = "lookup_share";
const MAX_HITS = 3;
const MAX_REFS = 3;
/** Queries are shared by re-running them, so the button carries the query (bounded). */
export const MAX_SHARED_QUERY = 500;

export interface LookupRenderOptions {
  /** Ephemeral answers get the share button; the shared copy names who shared it instead. */
  share: boolean;
  sharedBy?: string;
}

export function renderLookup(
  query: string,
  result: LookupResult,
  opts: LookupRenderOptions,
): RenderedMessage {
  const q = truncate(query.trim(), 200);
  const blocks: Block[] = [];
  if (opts.sharedBy)
    blocks.push(
      context([`<@${opts.sharedBy.replace(/[^A-Z0-9]/gi, "")}> shared a lookup: ${inlineCode(q)}`]),
    );
  const tag = result.tag;
  if (tag !== null && tag.match !== "exact") {
    const name = inlineCode(JSON.stringify(tag.tag));
    const what =
      tag.match === "family"
        ? `Pool tag ${name} is not in the tag table by name; it falls in the family ${inlineCode(tag.family ?? "")}, a lead to confirm.`
        : `Pool tag ${name} is unknown: neither the tag table nor its families know it.`;
    const find = tag.findDriverCommand
      ? `\nFind its driver on the server (tags are case-sensitive): ${inlineCode(tag.findDriverCommand)}`
      : "";
    blocks.push(mrkdwnSection(`${what}${find}`, "lookup_tag"));
  }
  if (result.hits.length === 0 && tag !== null) {
    return { text: escapeMrkdwn(`Pool tag "${tag.tag}" is unknown`), blocks: fitBlocks(blocks) };
  }
  if (result.hits.length === 0) {
    const suggestions = result.suggestions.map(inlineCode).join(", ");
    const text = `Nothing in the knowledge base matches ${inlineCode(q)}.`;
    blocks.push(mrkdwnSection(suggestions ? `${text}\nDid you mean: ${suggestions}?` : text, "lookup_none"));
    blocks.push(
      context([
        "Try a reason phrase (`Connections_Refused`), a pool tag (`tag MFeS`), an event id or a symptom.",
      ]),
    );
    return { text: escapeMrkdwn(`Nothing matches "${q}"`), blocks: fitBlocks(blocks) };
  }
  for (const hit of result.hits.slice(0, MAX_HITS)) {
    const refs = hit.references
      .slice(0, MAX_REFS)
      .map((r) => `• ${mrkdwnLink(r.url, r.title)}`)
      .join("\n");
    const summary = truncate(escapeMrkdwn(hit.summary), 1200);
    blocks.push(
      mrkdwnSection(
        `*${escapeMrkdwn(hit.title)}* ${inlineCode(hit.id)}\n${summary}${refs ? `\n${refs}` : ""}`,
        truncate(`hit:${hit.id}`, 255),
      ),
    );
  }
  if (opts.share)
    blocks.push({
      type: "actions",
      block_id: "lookup_actions",
      elements: [
        {
          type: "button",
          action_id: SHARE_LOOKUP,
          text: { type: "plain_text", text: "Share in channel", emoji: true },
          value: query.trim().slice(0, Math.min(MAX_SHARED_QUERY, LIMITS.buttonValue)),
        },
      ],
    });
  const first = result.hits[0];
  const text = escapeMrkdwn(`${first?.title ?? "Lookup"} (${first?.id ?? q})`);
  return { text, blocks: fitBlocks(blocks) };
}
