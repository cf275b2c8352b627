import type { App, BlockButtonAction } from "@slack/bolt";
import type { BotDeps } from "../../deps.js";
import { FEEDBACK_RIGHT, FEEDBACK_WRONG } from "../../render/diagnosis.js";
import { SHARE_LOOKUP } from "../../render/lookup.js";
import { onFeedback } from "./feedback.js";
import { onShareLookup } from "./share-lookup.js";

export function register(app: App, deps: BotDeps): void {
  app.action<BlockButtonAction>(FEEDBACK_RIGHT, (args) => onFeedback(args, deps));
  app.action<BlockButtonAction>(FEEDBACK_WRONG, (args) => onFeedback(args, deps));
  app.action<BlockButtonAction>(SHARE_LOOKUP, (args) => onShareLookup(args, deps));
}
