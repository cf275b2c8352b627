// A path that cannot be read, with a message fit for the terminal.
export class InputError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = "InputError";
  }
}

/** An I/O failure on `path`, said plainly (`no such file or folder`, `permission denied`). */
export function ioMessage(path: string, err: unknown): InputError {
  const code = (err as NodeJS.ErrnoException)?.code;
  const why =
    code === "ENOENT"
      ? "no such file or folder"
      : code === "EACCES" || code === "EPERM"
        ? "permission denied"
        : code === "EISDIR"
          ? "is a folder"
          : err instanceof Error
            ? err.message
            : String(err);
  return new InputError(path, `cannot read ${path}: ${why}`);
}
