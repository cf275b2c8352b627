// `/tattle`: acknowledge at once, then dispatch to a subcommand or look the text up.
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from "@slack/bolt";
import type { BotDeps } from "../../deps.js";
import { help } from "./help.js";
import { lookupSubcommand } from "./lookup.js";
import { SUBCOMMANDS } from "./subcommands.js";

type Args = AllMiddlewareArgs & SlackCommandMiddlewareArgs;

export const TATTLE_COMMAND = "/tattle";

export async function onTattle({ command, ack, respond, client, context, logger }: Args, deps: BotDeps) {
  await ack();
  const text = command.text.trim();
  const [word = "", ...rest] = text.split(/\s+/);
  const named = Object.hasOwn(SUBCOMMANDS, word.toLowerCase()) ? SUBCOMMANDS[word.toLowerCase()] : undefined;
  const sub = text === "" ? help : (named ?? lookupSubcommand);
  const args = { rest: named ? rest.join(" ") : text, command, respond, client, context, deps };
  try {
    await sub(args);
  } catch (err) {
    logger.error("/tattle failed:", err);
    await respond({
      response_type: "ephemeral",
      text: "Sorry, that went wrong on my side. Try again in a moment.",
    }).catch(() => undefined);
  }
}
