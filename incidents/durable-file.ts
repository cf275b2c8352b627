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
    // which the next write replaces. One writing process per file (writer-lock.ts).
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
    await this.writeChunks([`${JSON.stringify(data, null, 2)}\n`]);
  }

  /**
   * Writes the file from text chunks, as durably as `write`: a big file can be produced a slice at
   * a time (the store's compaction yields to the event loop between slices). Returns the bytes written.
   */
  async writeChunks(chunks: AsyncIterable<string> | Iterable<string>): Promise<number> {
    await makeFolder(dirname(this.path));
    const handle = await open(this.tempPath, "w");
    let bytes = 0;
    try {
      for await (const chunk of chunks) {
        await handle.writeFile(chunk, "utf8");
        bytes += Buffer.byteLength(chunk);
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    await renameWithRetry(this.tempPath, this.path);
    await syncFolder(dirname(this.path));
    return bytes;
  }
}

/**
 * mkdir -p, one level at a time. Not `mkdir(…, { recursive: true })`: on Node 20 that never returns
 * for a folder that cannot be made where the parent refuses with ENOENT (under /proc, for one).
 */
export async function makeFolder(folder: string, depth = 0): Promise<void> {
  try {
    await mkdir(folder);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return;
    const parent = dirname(folder);
    if (code !== "ENOENT" || parent === folder || depth > 64) throw error;
    await makeFolder(parent, depth + 1);
    await mkdir(folder).catch((again: NodeJS.ErrnoException) => {
      if (again.code !== "EEXIST") throw again;
    });
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
export async function syncFolder(folder: string): Promise<void> {
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
