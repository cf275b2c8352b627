// A lowdb adapter that writes like lowdb's JSONFile (temp file + rename, via steno) and also
// fsyncs. Why not JSONFile itself: steno (node_modules/steno/lib/index.js) does writeFile(tmp) then
// rename(tmp, file) and never fsyncs, which survives a killed process but not a power cut (the
// rename can reach the disk before the data). Here: write tmp, fsync it, rename, fsync the folder.
import { mkdir, open, readFile, rename } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { Adapter } from "lowdb";

export class DurableJSONFile<T> implements Adapter<T> {
  readonly path: string;
  readonly tempPath: string;
  readonly #decode: (text: string) => T;

  constructor(path: string, decode: (text: string) => T) {
    this.path = path;
    // One fixed temp name, as steno does: a writer killed mid-write leaves at most one stray file,
    // which the next write replaces. One writing process per file (see README on replicas).
    this.tempPath = join(dirname(path), `.${basename(path)}.tmp`);
    this.#decode = decode;
  }

  /** null when the file does not exist; decode errors propagate. */
  async read(): Promise<T | null> {
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
    return this.#decode(text);
  }

  async write(data: T): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const handle = await open(this.tempPath, "w");
    try {
      await handle.writeFile(`${JSON.stringify(data, null, 2)}\n`, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await renameWithRetry(this.tempPath, this.path);
    await syncFolder(dirname(this.path));
  }
}

// Windows: a reader (antivirus, the CLI) holding the file makes rename fail briefly; steno retries too.
async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await rename(from, to);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (attempt >= 10 || !(code === "EPERM" || code === "EACCES" || code === "EBUSY")) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}

// Makes the rename itself durable. Folders cannot be opened for fsync on Windows; that is fine there.
async function syncFolder(folder: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(folder, "r");
    await handle.sync();
  } catch {
    // best effort
  } finally {
    await handle?.close();
  }
}
