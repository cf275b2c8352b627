// The error of an invalid knowledge base, in a module of its own: the CLI tells it apart from other
// errors without loading the knowledge base's code.
export class KbError extends Error {
  constructor(readonly problems: string[]) {
    super(`The knowledge base is invalid:\n${problems.map((p) => `  ${p}`).join("\n")}`);
    this.name = "KbError";
  }
}
