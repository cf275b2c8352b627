// `/tattle QUERY`: a knowledge-base lookup, answered to the asker only, with a share button.
import { lookup } from "../../../kb/index.js";
import { renderLookup } from "../../render/lookup.js";
import type { Subcommand } from "./subcommand.js";

export const lookupSubcommand: Subcommand = async ({ rest, respond, deps }) => {
  const result = lookup(deps.kb, rest, 3);
  await respond({ response_type: "ephemeral", ...renderLookup(rest, result, { share: true }) });
};
