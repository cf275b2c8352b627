// Slack's limits on Block Kit, checked the same way by every rendering test.
import { expect } from "vitest";
import type { Block } from "../../bot/render/limits.js";

/** Every text people see in the blocks, with the limit Slack puts on it. */
export function blockTexts(blocks: Block[]): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  for (const b of blocks) {
    if (b.type === "header") out.push([b.text.text, 150]);
    if (b.type === "section" && b.text) out.push([b.text.text, 3000]);
    if (b.type === "context") for (const e of b.elements) if ("text" in e) out.push([e.text as string, 2000]);
    if (b.type === "actions")
      for (const e of b.elements) if (e.type === "button") out.push([e.text.text, 75], [e.value ?? "", 2000]);
  }
  return out;
}

/** At most `maxBlocks` blocks, every text within its limit. */
export function expectWithinLimits(blocks: Block[], maxBlocks = 50): void {
  expect(blocks.length).toBeLessThanOrEqual(maxBlocks);
  for (const [t, max] of blockTexts(blocks)) expect(t.length).toBeLessThanOrEqual(max);
}

/** Block ids at most 255 long and unique in a message (Slack refuses a message otherwise). */
export function expectValidBlockIds(blocks: Block[]): void {
  const ids = blocks.map((b) => b.block_id).filter((id) => id !== undefined);
  for (const id of ids) expect(id.length).toBeLessThanOrEqual(255);
  expect(new Set(ids).size).toBe(ids.length);
}
