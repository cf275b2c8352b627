import type { App, MessageShortcut } from "@slack/bolt";
import type { BotDeps } from "../../deps.js";
import { DIAGNOSE_MESSAGE, onDiagnoseMessage } from "./diagnose-message.js";

export function register(app: App, deps: BotDeps): void {
  app.shortcut<MessageShortcut>({ callback_id: DIAGNOSE_MESSAGE, type: "message_action" }, (args) =>
    onDiagnoseMessage(args, deps),
  );
}
