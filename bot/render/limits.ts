// Slack's Block Kit limits, and cutting text to them without breaking an escape or a character.
// https://docs.slack.dev/reference/block-kit/blocks
import type { types } from "@slack/bolt";

export const LIMITS = {
  blocks: 50,
  homeBlocks: 100,
  sectionText: 3000,
  header: 150,
  contextElements: 10,
  contextText: 2000,
  buttonText: 75,
  buttonValue: 2000,
  /** chat.postMessage truncates `text` at 40,000; a fallback needs far less. */
  fallbackText: 3000,
} as const;

/**
 * Cuts text to at most `max` UTF-16 units (Slack counts characters, never more than that), ending
 * with `…`. Never leaves half an entity (`&am`), half a surrogate pair, or an unclosed code span.
 */
export function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  let cut = s.slice(0, Math.max(0, max - 1));
  cut = cut.replace(/&[a-z]{0,4}$/, "");
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  if ((cut.match(/`/g)?.length ?? 0) % 2 === 1) cut = cut.slice(0, cut.lastIndexOf("`"));
  return `${cut}…`;
}

export type Block = types.KnownBlock;

/** Cuts every text of a block to its limit. */
function clampBlock(block: Block): Block {
  switch (block.type) {
    case "header":
      return { ...block, text: { ...block.text, text: truncate(block.text.text, LIMITS.header) } };
    case "section":
      return block.text
        ? { ...block, text: { ...block.text, text: truncate(block.text.text, LIMITS.sectionText) } }
        : block;
    case "context":
      return {
        ...block,
        elements: block.elements
          .slice(0, LIMITS.contextElements)
          .map((e) =>
            e.type === "mrkdwn" || e.type === "plain_text"
              ? { ...e, text: truncate(e.text, LIMITS.contextText) }
              : e,
          ),
      };
    case "actions":
      return {
        ...block,
        elements: block.elements.slice(0, 25).map((e) =>
          e.type === "button"
            ? {
                ...e,
                text: { ...e.text, text: truncate(e.text.text, LIMITS.buttonText) },
                ...(e.value !== undefined ? { value: e.value.slice(0, LIMITS.buttonValue) } : {}),
              }
            : e,
        ),
      };
    default:
      return block;
  }
}

/**
 * The last guard before a message leaves: every text within its limit and at most `max` blocks.
 * When there are too many, the middle goes (the header and headline first, the buttons last stay).
 */
export function fitBlocks(blocks: Block[], max: number = LIMITS.blocks): Block[] {
  const clamped = blocks.map(clampBlock);
  if (clamped.length <= max) return clamped;
  const tail = clamped.filter((b) => b.type === "actions").slice(-1);
  const head = clamped.filter((b) => b.type !== "actions").slice(0, max - tail.length);
  return [...head, ...tail];
}

export function mrkdwnSection(text: string, blockId?: string): Block {
  return {
    type: "section",
    text: { type: "mrkdwn", text: truncate(text, LIMITS.sectionText) },
    ...(blockId ? { block_id: blockId } : {}),
  };
}

export function context(texts: string[]): Block {
  return {
    type: "context",
    elements: texts
      .slice(0, LIMITS.contextElements)
      .map((t) => ({ type: "mrkdwn" as const, text: truncate(t, LIMITS.contextText) })),
  };
}

export function header(text: string): Block {
  return { type: "header", text: { type: "plain_text", text: truncate(text, LIMITS.header), emoji: true } };
}
