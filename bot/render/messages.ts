// Short replies: nothing readable, a superseded diagnosis.

import type { RenderedMessage } from "./diagnosis.js";
import { escapeMrkdwn } from "./escape.js";
import { context, fitBlocks, mrkdwnSection } from "./limits.js";

/** "Nothing I can read here", with what Tattletale reads and why parts were skipped. */
export function renderNothingReadable(readable: string, notes: string[] = []): RenderedMessage {
  const text = "🤷 Nothing I can read here.";
  return {
    text,
    blocks: fitBlocks([
      mrkdwnSection(`*${text}*\n${escapeMrkdwn(readable, { keepCode: true })}`, "nothing_readable"),
      ...(notes.length ? [context(notes.map((n) => escapeMrkdwn(n)))] : []),
    ]),
  };
}

/** What an earlier reply becomes when a newer diagnosis of the same thread is posted below it. */
export function renderSuperseded(): RenderedMessage {
  const text = "↓ Superseded: the thread's newer pastes are diagnosed together in a later reply.";
  return { text, blocks: [context([text])] };
}

/**
 * The short note on files that are not text (an `.evtx`, a dump, an archive, a picture): what they
 * are and what to send instead, when the thread already is an incident or the bot was mentioned.
 */
export function renderFileNotes(notes: string[]): RenderedMessage {
  const text = "📎 I can't read that file here.";
  return {
    text,
    blocks: fitBlocks([context([`*${text}*`, ...notes.map((n) => escapeMrkdwn(n))])]),
  };
}
