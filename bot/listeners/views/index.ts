// Modal submissions. None yet: the handoff's "add a note" modal registers its callback here.
import type { App } from "@slack/bolt";
import type { BotDeps } from "../../deps.js";

export function register(_app: App, _deps: BotDeps): void {}
