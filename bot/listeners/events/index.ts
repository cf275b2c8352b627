import type { App } from "@slack/bolt";
import type { BotDeps } from "../../deps.js";
import { onAppHomeOpened } from "./app-home-opened.js";
import { onAppMention } from "./app-mention.js";

export function register(app: App, deps: BotDeps): void {
  app.event("app_mention", (args) => onAppMention(args, deps));
  app.event("app_home_opened", (args) => onAppHomeOpened(args, deps));
}
