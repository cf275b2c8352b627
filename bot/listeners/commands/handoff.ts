// `/tattle handoff [since]` (default 12h): the shift's incidents the asker may see, to them only,
// with buttons per open incident and "Post to channel". In a channel that belongs to a team
// (`/tattle settings`), the team's handoff: its channels' incidents. Built by buildHandoff, like
// `tattletale handoff`.
import { parseSince } from "../../../incidents/index.js";
import { channelSettingsOf, STORE_PROBLEM } from "../../deps.js";
import { escapeMrkdwn } from "../../render/escape.js";
import { renderHandoff } from "../../render/handoff.js";
import { handoffView } from "../../services/handoff-view.js";
import type { Subcommand } from "./subcommand.js";

export const handoff: Subcommand = async ({ rest, command, respond, client, deps }) => {
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
  const { team } = await channelSettingsOf(deps, command.channel_id);
  const forTeam = team !== null ? { team } : {};
  const { handoff: h, names } = await handoffView({ ...deps, store: deps.store }, client, {
    sinceMs: nowMs - spanMs,
    viewer: command.user_id,
    ...forTeam,
  });
  const health = await deps.store.health();
  // A file set aside after a crash: the handoff may not hold everything, so say so (the log says why).
  const notice = health.ok ? undefined : `⚠️ Incident history: ${STORE_PROBLEM}`;
  await respond({
    response_type: "ephemeral",
    ...renderHandoff(h, { viewer: command.user_id, notice, names, ...forTeam }),
  });
};
