// `/tattle handoff [since]`: filled in by the handoff work (issue 5); this file is its seam.
import type { Subcommand } from "./subcommand.js";

export const handoff: Subcommand = async ({ respond }) => {
  await respond({
    response_type: "ephemeral",
    text: "The on-call handoff (`/tattle handoff`) is coming soon. Until then, App Home lists the latest incidents.",
  });
};
