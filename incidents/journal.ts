// The store's files: the snapshot `<file>` (every record as of journal line `seq`) and the journal,
// JSON lines of changes since: `<file>.journal`, plus `<file>.journal.upto-<seq>` segments set
// aside by a compaction that has not finished yet. A write appends one line per change set and
// fsyncs (cost: what changed). Compaction writes a new snapshot in the background and drops the
// segments it covers (cost: the whole store, now and then). Readers replay snapshot + segments +
// journal in order; a line cut short by a crash is the last one and is not a committed write.
import { type FileHandle, open, readdir, readFile, rename, stat, truncate, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { syncFolder } from "./durable-file.js";
import { decodeStoreFile, StoreFileError } from "./migrate.js";
import { JournalLine, type StoreFile } from "./schema.js";

export const journalPath = (file: string) => `${file}.journal`;
const SEGMENT = /\.journal\.upto-(\d+)$/;

/** The journal's set-aside segments, oldest first, with the last seq each holds. */
export async function journalSegments(file: string): Promise<Array<{ path: string; upto: number }>> {
  const names = await readdir(dirname(file)).catch(() => [] as string[]);
  const prefix = `${basename(file)}.journal.upto-`;
  return names
    .filter((n) => n.startsWith(prefix) && SEGMENT.test(n))
    .map((n) => ({ path: join(dirname(file), n), upto: Number(SEGMENT.exec(n)?.[1]) }))
    .sort((a, b) => a.upto - b.upto);
}

export interface ReplayedFile {
  /** The snapshot's data with every journal line applied; null when there is no file at all. */
  file: StoreFile | null;
  /** Version the snapshot was in, when older than this code's (it was migrated). */
  migratedFrom: number | null;
  snapshotBytes: number;
  /** Bytes of the current journal up to its last whole line (where appends continue). */
  journalBytes: number;
  /** The current journal ends with a line cut short (a crash mid-write): not a committed write. */
  tornTail: boolean;
  /** A line that is not the last one does not read: the journal from there on is not applied. */
  broken: { path: string; line: number; reason: string } | null;
  /** Lines seq are consecutive from the snapshot on; false when a compaction moved files meanwhile. */
  consistent: boolean;
}

/** Applies one journal line's changes to the data (mutating it). */
export function applyLine(data: StoreFile, line: JournalLine): void {
  for (const c of line.changes) {
    const table = c.t === "incident" ? data.incidents : c.t === "claim" ? data.claims : data.tasks;
    if (c.v === null) delete table[c.id];
    else (table as Record<string, unknown>)[c.id] = c.v;
  }
  data.seq = line.seq;
}

export interface SnapshotRead {
  file: StoreFile;
  migratedFrom: number | null;
  bytes: number;
}

/** The snapshot file, decoded and migrated (StoreFileError when it does not read), null when missing. */
export async function readSnapshot(file: string): Promise<SnapshotRead | null> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  const decoded = decodeStoreFile(text);
  return { file: decoded.file, migratedFrom: decoded.migratedFrom, bytes: Buffer.byteLength(text) };
}

/**
 * Reads the snapshot (with `snapshot`, default readSnapshot) and replays the journal.
 * StoreFileError when the snapshot does not read; a broken journal line is reported in `broken`,
 * the lines before it applied.
 */
export async function replayStore(
  file: string,
  snapshot: (file: string) => Promise<SnapshotRead | null> = readSnapshot,
): Promise<ReplayedFile> {
  const read = await snapshot(file);
  const data = read?.file ?? null;
  const out: ReplayedFile = {
    file: data,
    migratedFrom: read?.migratedFrom ?? null,
    snapshotBytes: read?.bytes ?? 0,
    journalBytes: 0,
    tornTail: false,
    broken: null,
    consistent: true,
  };
  const files = [...(await journalSegments(file)).map((s) => s.path), journalPath(file)];
  let current: StoreFile | null = data;
  for (const path of files) {
    let journal: string;
    try {
      journal = await readFile(path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") {
        // A segment deleted by a compaction since we listed it: the snapshot we read is older.
        if (path !== journalPath(file)) out.consistent = false;
        continue;
      }
      throw error;
    }
    const isCurrent = path === journalPath(file);
    const lines = journal.split("\n");
    // The piece after the last newline is empty, or a line cut short (only ever the last one).
    const tail = lines.pop() ?? "";
    if (isCurrent) {
      out.tornTail = tail.length > 0;
      out.journalBytes = Buffer.byteLength(journal) - Buffer.byteLength(tail);
    }
    for (let n = 0; n < lines.length; n++) {
      const raw = lines[n] as string;
      if (raw.trim() === "") continue;
      let line: JournalLine;
      try {
        const parsed = JournalLine.safeParse(JSON.parse(raw));
        if (!parsed.success) throw new Error(parsed.error.issues[0]?.message ?? "not a journal line");
        line = parsed.data;
      } catch (error) {
        out.broken = { path, line: n + 1, reason: (error as Error).message };
        return { ...out, file: current };
      }
      current ??= { version: 3, seq: 0, incidents: {}, claims: {}, tasks: {} };
      if (line.seq <= current.seq) continue;
      if (line.seq !== current.seq + 1) out.consistent = false;
      applyLine(current, line);
    }
  }
  return { ...out, file: current };
}

/** Which files the snapshot and the journal are now (a compaction renames both). */
async function identity(file: string): Promise<string> {
  const id = (path: string) =>
    stat(path).then(
      (s) => `${s.ino}:${s.size}:${s.mtimeMs}`,
      () => "none",
    );
  return `${await id(file)}|${(await id(journalPath(file))).split(":")[0]}`;
}

/**
 * Reads the store for a reader that holds no lock, retrying when a compaction moved files meanwhile:
 * when the journal does not follow on from the snapshot, or when the snapshot or the journal file
 * were replaced while they were read (a rotation leaves a new, empty journal: no gap would show).
 */
export async function readStoreConsistently(
  file: string,
  snapshot: (file: string) => Promise<SnapshotRead | null> = readSnapshot,
): Promise<ReplayedFile> {
  let last: ReplayedFile | undefined;
  for (let attempt = 0; attempt < 10; attempt++) {
    const before = await identity(file);
    last = await replayStore(file, snapshot);
    if (last.consistent && (await identity(file)) === before) return last;
    await new Promise((resolve) => setTimeout(resolve, 20 * (attempt + 1)));
  }
  throw new StoreFileError("the journal does not follow on from the snapshot (files changed while reading)");
}

/** Appends to the current journal, one fsync per batch; a failed append leaves no partial line. */
export class JournalWriter {
  #handle: FileHandle | null = null;
  #bytes: number;

  private constructor(
    readonly file: string,
    bytes: number,
  ) {
    this.#bytes = bytes;
  }

  /** Opens the journal for appending; `validBytes` cuts off a torn last line first. */
  static async open(file: string, validBytes: number, tornTail: boolean): Promise<JournalWriter> {
    const path = journalPath(file);
    if (tornTail) await truncate(path, validBytes);
    const writer = new JournalWriter(file, validBytes);
    writer.#handle = await open(path, "a");
    if (tornTail) await writer.#handle.sync();
    return writer;
  }

  /** Bytes in the current journal. */
  get bytes(): number {
    return this.#bytes;
  }

  async append(text: string): Promise<void> {
    const handle = this.#handle;
    if (!handle) throw new Error("the journal is closed");
    const before = this.#bytes;
    try {
      await handle.writeFile(text, "utf8");
      await handle.datasync();
      this.#bytes += Buffer.byteLength(text);
    } catch (error) {
      // Whatever part of the text reached the file must go, or the next line would follow garbage.
      await handle.truncate(before).catch(() => undefined);
      throw error;
    }
  }

  /**
   * Sets the current journal aside as the segment `upto-<seq>` (seq: its last line) and starts an
   * empty one. Called between appends only.
   */
  async rotate(seq: number): Promise<void> {
    await this.#handle?.close();
    this.#handle = null;
    const path = journalPath(this.file);
    await rename(path, `${path}.upto-${seq}`);
    this.#handle = await open(path, "a");
    this.#bytes = 0;
    await syncFolder(dirname(path));
  }

  async close(): Promise<void> {
    await this.#handle?.close();
    this.#handle = null;
  }
}

/** Deletes the segments a snapshot at `seq` covers. */
export async function dropSegments(file: string, seq: number): Promise<void> {
  for (const s of await journalSegments(file)) if (s.upto <= seq) await unlink(s.path).catch(() => undefined);
}

/** Size of a file, 0 when it is missing. */
export async function sizeOf(path: string): Promise<number> {
  return stat(path).then(
    (s) => s.size,
    () => 0,
  );
}
