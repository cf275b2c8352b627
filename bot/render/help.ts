// `/tattle help`: how to use Tattletale, in one ephemeral message.
import type { RenderedMessage } from "./diagnosis.js";
import { escapeMrkdwn } from "./escape.js";
import { fitBlocks, mrkdwnSection } from "./limits.js";

export function renderHelp(readable: string): RenderedMessage {
  return {
    text: "How to use Tattletale",
    blocks: fitBlocks([
      mrkdwnSection(
        "*Tattletale* reads what a sick Windows/IIS server tattles and answers in the thread with a diagnosis.\n" +
          "• *Paste* it in a channel I'm in (I answer only when I can read something), DM it to me, or mention me.\n" +
          "• *More pastes in the same thread* are read together: HTTPERR lines, then `poolmon -b`, then `boot.ini`.\n" +
          "• *Files and snippets* work too (text files, many MB included).\n" +
          "• *On any message*: ⋮ → _Diagnose with Tattletale_.",
      ),
      mrkdwnSection(
        "*Commands*\n" +
          "• `/tattle QUERY`: look something up (`/tattle connections_refused`, `/tattle tag MFeS`, `/tattle 2019`)\n" +
          "• `/tattle handoff`: the on-call handoff summary\n" +
          "• `/tattle settings`: this channel's settings (automatic diagnosis, integrations, handoff team and shift change)\n" +
          "• `/tattle help`: this message",
      ),
      mrkdwnSection(`*What I read*\n${escapeMrkdwn(readable, { keepCode: true })}`),
    ]),
  };
}
