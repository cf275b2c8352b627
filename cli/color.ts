// Whether to colour the terminal text. `--no-color` wins; then FORCE_COLOR (set, not empty, not
// "0" or "false") forces colour even when piped; then NO_COLOR (set and not empty, per no-color.org)
// turns it off; otherwise colour goes to a terminal only.

export interface ColorContext {
  isTTY: boolean | undefined;
  env: Record<string, string | undefined>;
  /** `--no-color` was given. */
  noColorFlag: boolean;
}

export function wantsColor({ isTTY, env, noColorFlag }: ColorContext): boolean {
  if (noColorFlag) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== "") return force !== "0" && force.toLowerCase() !== "false";
  const noColor = env.NO_COLOR;
  if (noColor !== undefined && noColor !== "") return false;
  return isTTY === true;
}
