import type { App } from "@slack/bolt";
import type { BotDeps } from "../../deps.js";
import { onTattle, TATTLE_COMMAND } from "./tattle.js";

export function register(app: App, deps: BotDeps): void {
  app.command(TATTLE_COMMAND, (args) => onTattle(args, deps));
}
