// "Resolve" and "Reopen" on an incident, where it happened (the thread) or from the handoff.

import { setStatus } from "../../../incidents/index.js";
import type { BotDeps } from "../../deps.js";
import { type ButtonArgs, onIncidentChange } from "./incident-change.js";

export function onResolve(args: ButtonArgs, deps: BotDeps): Promise<void> {
  return onIncidentChange(args, deps, {
    apply: (store, id, user) => setStatus(store, id, "resolved", user),
    unchanged: "That incident is already resolved.",
  });
}

export function onReopen(args: ButtonArgs, deps: BotDeps): Promise<void> {
  return onIncidentChange(args, deps, {
    apply: (store, id, user) => setStatus(store, id, "open", user),
    unchanged: "That incident is already open.",
  });
}
