import type { App } from "@slack/bolt";
import type { BotDeps } from "../../deps.js";
import { onMessage } from "./paste.js";

export function register(app: App, deps: BotDeps): void {
  app.event("message", (args) => onMessage(args, deps));
}
