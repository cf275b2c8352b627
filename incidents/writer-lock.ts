// One writer per store file: the running process holds `<file>.lock`, a small JSON file naming it
// (pid, hostname, start time). A second process on the same file is refused with a message that
// names the file and the holder; a lock left by a process that died on this host (its pid gone, or
// reused by a process that started at another time) is taken over, and the caller is told so.
import { open, readFile, stat, unlink } from "node:fs/promises";
import { hostname } from "node:os";
import { z } from "zod";

export const LockHolder = z.object({
  pid: z.number().int().positive(),
  hostname: z.string(),
  /** When the holding process started (ISO), which tells a reused pid from the holder. */
  startedAt: z.iso.datetime(),
});
export type LockHolder = z.infer<typeof LockHolder>;

export class StoreLockedError extends Error {
  constructor(
    readonly file: string,
    readonly holder: LockHolder | null,
  ) {
    super(
      holder
        ? `the incident store ${file} is in use by process ${holder.pid} on ${holder.hostname} (started ${holder.startedAt}); ` +
            `only one Tattletale may write it. Stop that one, or give this one another TATTLETALE_DB. ` +
            `If that process is gone for sure, delete ${file}.lock`
        : `the incident store ${file} is locked by another process (${file}.lock is being written); only one Tattletale may write it`,
    );
    this.name = "StoreLockedError";
  }
}

export interface WriterLock {
  path: string;
  holder: LockHolder;
  release(): Promise<void>;
}

/** When this process started, to the second. */
function ownStart(): Date {
  return new Date(Math.floor((Date.now() - process.uptime() * 1000) / 1000) * 1000);
}

/** Start time of a process on this host from /proc (Linux), or null where there is no /proc. */
async function processStart(pid: number): Promise<Date | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    // Field 22 (starttime, in clock ticks since boot) comes after the command name in parentheses.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[19]);
    const boot = /^btime (\d+)$/m.exec(await readFile("/proc/stat", "utf8"))?.[1];
    if (!Number.isFinite(ticks) || boot === undefined) return null;
    // /proc counts in USER_HZ, 100 on every Linux architecture.
    return new Date((Number(boot) + ticks / 100) * 1000);
  } catch {
    return null;
  }
}

/** Whether `holder` may still be running: certainly dead only when it is on this host and gone. */
async function holderAlive(holder: LockHolder): Promise<boolean> {
  if (holder.hostname !== hostname()) return true;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return false;
  }
  // The pid is in use: by the holder, or by a process that got its number since.
  const started = holder.pid === process.pid ? ownStart() : await processStart(holder.pid);
  if (started === null) return true;
  return Math.abs(started.getTime() - Date.parse(holder.startedAt)) < 5000;
}

async function readHolder(path: string): Promise<LockHolder | null | "missing"> {
  try {
    const parsed = LockHolder.safeParse(JSON.parse(await readFile(path, "utf8")));
    return parsed.success ? parsed.data : null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "missing";
    return null;
  }
}

/**
 * Takes `<file>.lock`. Throws StoreLockedError when another live process holds it; other errors
 * (a folder that cannot be written) propagate as they are. `notice` hears of a stale lock taken over.
 */
export async function acquireWriterLock(
  file: string,
  notice: (message: string) => void = () => undefined,
): Promise<WriterLock> {
  const path = `${file}.lock`;
  const me: LockHolder = { pid: process.pid, hostname: hostname(), startedAt: ownStart().toISOString() };
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(path, "wx");
      try {
        await handle.writeFile(`${JSON.stringify(me)}\n`, "utf8");
        await handle.sync();
      } finally {
        await handle.close();
      }
      return { path, holder: me, release: () => releaseLock(path, me) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = await readHolder(path);
    if (holder === "missing") continue; // released meanwhile: try again
    if (holder === null) {
      // Unreadable: being written right now, or garbage left by a crash while it was written.
      const age = await stat(path).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age < 2000 && attempt < 20) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        continue;
      }
      if (age < 2000) throw new StoreLockedError(file, null);
      notice(`taking over ${path}: it could not be read and is ${Math.round(age / 1000)} s old`);
    } else if (await holderAlive(holder)) {
      throw new StoreLockedError(file, holder);
    } else {
      notice(
        `taking over ${path} from process ${holder.pid} on ${holder.hostname} (started ${holder.startedAt}), which is no longer running`,
      );
    }
    if (attempt >= 5) throw new StoreLockedError(file, holder === null ? null : holder);
    // Two processes taking over the same stale lock at the same moment: both unlink, one wins the
    // exclusive create above, the other then finds a live holder and refuses.
    await unlink(path).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== "ENOENT") throw e;
    });
  }
}

async function releaseLock(path: string, me: LockHolder): Promise<void> {
  const holder = await readHolder(path);
  if (holder !== null && holder !== "missing" && holder.pid === me.pid && holder.startedAt === me.startedAt)
    await unlink(path).catch(() => undefined);
}
