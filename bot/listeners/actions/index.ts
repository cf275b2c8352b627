import type { App, BlockButtonAction } from "@slack/bolt";
import type { BotDeps } from "../../deps.js";
import { FEEDBACK_RIGHT, FEEDBACK_WRONG } from "../../render/diagnosis.js";
import { HANDOFF_POST } from "../../render/handoff.js";
import {
  INCIDENT_NOTE,
  INCIDENT_REOPEN,
  INCIDENT_RESOLVE,
  INCIDENT_TAKE_OVER,
} from "../../render/incident-actions.js";
import { SHARE_LOOKUP } from "../../render/lookup.js";
import { HOME_SETTINGS } from "../../render/settings.js";
import { onFeedback } from "./feedback.js";
import { onHomeSettings } from "./home-settings.js";
import { onAddNote } from "./incident-note.js";
import { onPostHandoff } from "./incident-post-handoff.js";
import { onReopen, onResolve } from "./incident-resolve.js";
import { onTakeOver } from "./incident-take-over.js";
import { onShareLookup } from "./share-lookup.js";

export function register(app: App, deps: BotDeps): void {
  app.action<BlockButtonAction>(FEEDBACK_RIGHT, (args) => onFeedback(args, deps));
  app.action<BlockButtonAction>(FEEDBACK_WRONG, (args) => onFeedback(args, deps));
  app.action<BlockButtonAction>(SHARE_LOOKUP, (args) => onShareLookup(args, deps));
  app.action<BlockButtonAction>(INCIDENT_TAKE_OVER, (args) => onTakeOver(args, deps));
  app.action<BlockButtonAction>(INCIDENT_RESOLVE, (args) => onResolve(args, deps));
  app.action<BlockButtonAction>(INCIDENT_REOPEN, (args) => onReopen(args, deps));
  app.action<BlockButtonAction>(INCIDENT_NOTE, (args) => onAddNote(args, deps));
  app.action<BlockButtonAction>(HANDOFF_POST, (args) => onPostHandoff(args, deps));
  app.action<BlockButtonAction>(HOME_SETTINGS, (args) => onHomeSettings(args, deps));
}
