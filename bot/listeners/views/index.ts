// Modal submissions: the incident note modal (opened by "Add note" on a thread reply or the
// handoff) and the channel settings (`/tattle settings`, or App Home's picker and then the same form).
import type { App, ViewSubmitAction } from "@slack/bolt";
import type { BotDeps } from "../../deps.js";
import { NOTE_MODAL } from "../../render/incident-actions.js";
import { SETTINGS_MODAL, SETTINGS_PICK_MODAL } from "../../render/settings.js";
import { onNoteSubmitted } from "./note-modal.js";
import { onSettingsSubmitted } from "./settings-modal.js";
import { onSettingsPicked } from "./settings-pick.js";

export function register(app: App, deps: BotDeps): void {
  app.view<ViewSubmitAction>({ callback_id: NOTE_MODAL, type: "view_submission" }, (args) =>
    onNoteSubmitted(args, deps),
  );
  app.view<ViewSubmitAction>({ callback_id: SETTINGS_MODAL, type: "view_submission" }, (args) =>
    onSettingsSubmitted(args, deps),
  );
  app.view<ViewSubmitAction>({ callback_id: SETTINGS_PICK_MODAL, type: "view_submission" }, (args) =>
    onSettingsPicked(args, deps),
  );
}
