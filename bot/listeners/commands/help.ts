import { renderHelp } from "../../render/help.js";
import type { Subcommand } from "./subcommand.js";

export const help: Subcommand = async ({ respond, deps }) => {
  await respond({ response_type: "ephemeral", ...renderHelp(deps.readable) });
};
