// `/tattle WORD …` → the subcommand for WORD; any other text is a lookup. Add a subcommand by
// adding its file and one line here.
import { handoff } from "./handoff.js";
import { help } from "./help.js";
import { settings } from "./settings.js";
import type { Subcommand } from "./subcommand.js";

export const SUBCOMMANDS: Readonly<Record<string, Subcommand>> = {
  help,
  handoff,
  settings,
};
