// `/tattle handoff [since]` (default 12h): the shift's incidents, to the asker only, with buttons
// per open incident and "Post to channel". Built by buildHandoff, like `tattletale handoff`.

import { parseSince } from "../../../incidents/index.js";
import { STORE_PROBLEM } from "../../deps.js";
import { escapeMrkdwn } from "../../render/escape.js";
import { renderHandoff } from "../../render/handoff.js";
import { loadHandoff } from "../actions/incident-shared.js";
import type { Subcommand } from "./subcommand.js";

export const handoff: Subcommand = async ({ rest, command, respond, deps }) => {
  if (!deps.store)
    return void (await respond({
      response_type: "ephemeral",
      text: "The incident history is unavailable right now (the incident file could not be opened), so there is no handoff to show.",
    }));
  const nowMs = deps.store.now?.() ?? Date.now();
  let spanMs: number;
  try {
    spanMs = parseSince(rest, 12, nowMs);
  } catch (err) {
    return void (await respond({ response_type: "ephemeral", text: escapeMrkdwn((err as Error).message) }));
  }
  const h = await loadHandoff(deps.store, nowMs - spanMs);
  const health = await deps.store.health();
  // A file set aside after a crash: the handoff may not hold everything, so say so (the log says why).
  const notice = health.ok ? undefined : `⚠️ Incident history: ${STORE_PROBLEM}`;
  await respond({ response_type: "ephemeral", ...renderHandoff(h, { viewer: command.user_id, notice }) });
};
