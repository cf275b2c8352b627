// The shape of a `/tattle` subcommand. Each one is a file; subcommands.ts maps words to them.
import type { AllMiddlewareArgs, RespondFn, SlashCommand } from "@slack/bolt";
import type { BotDeps } from "../../deps.js";

export interface SubcommandArgs {
  /** The command text after the subcommand word (the whole text for a lookup). */
  rest: string;
  command: SlashCommand;
  respond: RespondFn;
  client: AllMiddlewareArgs["client"];
  context: AllMiddlewareArgs["context"];
  deps: BotDeps;
}

export type Subcommand = (args: SubcommandArgs) => Promise<void>;
