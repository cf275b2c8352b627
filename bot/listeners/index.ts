// Every surface registers its listeners; one folder per surface, one small file per callback.
import type { App } from "@slack/bolt";
import type { BotDeps } from "../deps.js";
import * as actions from "./actions/index.js";
import * as commands from "./commands/index.js";
import * as events from "./events/index.js";
import * as messages from "./messages/index.js";
import * as shortcuts from "./shortcuts/index.js";
import * as views from "./views/index.js";

export function registerListeners(app: App, deps: BotDeps): void {
  messages.register(app, deps);
  events.register(app, deps);
  commands.register(app, deps);
  shortcuts.register(app, deps);
  actions.register(app, deps);
  views.register(app, deps);
}
