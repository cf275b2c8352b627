// "Take over": the presser becomes the incident's owner (an open incident becomes acknowledged).

import { takeOver } from "../../../incidents/index.js";
import type { BotDeps } from "../../deps.js";
import { type ButtonArgs, onIncidentChange } from "./incident-change.js";

export function onTakeOver(args: ButtonArgs, deps: BotDeps): Promise<void> {
  return onIncidentChange(args, deps, {
    apply: (store, id, user) => takeOver(store, id, user),
    unchanged: "You already own this incident.",
  });
}
