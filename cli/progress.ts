// A progress bar on stderr for big inputs. Drawn only on a terminal, only when asked (not in --json
// mode) and only when the input is large enough to take a while; piped stderr never sees it.
import { MB } from "../parsers/bytes.js";

export interface ProgressOptions {
  stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** False in --json mode. */
  enabled: boolean;
  /** Inputs smaller than this (bytes) draw nothing. */
  minBytes?: number;
  /** Injected for tests. */
  now?: () => number;
}

export interface Progress {
  /** Bytes done of total; safe to pass around unbound (readInputs' onProgress). */
  update: (done: number, total: number) => void;
  /** Clears the bar, if one was drawn. */
  done: () => void;
}

export const PROGRESS_MIN_BYTES = 32 * MB;
const REDRAW_MS = 100;

/** Formats one bar line: `[#####.....]  52%  261/500 MB  412 MB/s` (MB = 10^6 bytes). */
export function progressLine(done: number, total: number, elapsedMs: number, width: number): string {
  const frac = total > 0 ? Math.min(1, done / total) : 0;
  const rate = elapsedMs > 0 ? done / MB / (elapsedMs / 1000) : 0;
  const tail = ` ${String(Math.floor(frac * 100)).padStart(3)}%  ${(done / MB).toFixed(0)}/${(total / MB).toFixed(0)} MB  ${rate.toFixed(0)} MB/s`;
  const barWidth = Math.max(10, Math.min(40, width - tail.length - 3));
  const filled = Math.round(frac * barWidth);
  return `[${"#".repeat(filled)}${".".repeat(barWidth - filled)}]${tail}`;
}

export function createProgress(opts: ProgressOptions): Progress {
  const now = opts.now ?? Date.now;
  const minBytes = opts.minBytes ?? PROGRESS_MIN_BYTES;
  const active = opts.enabled && opts.stream.isTTY === true;
  const start = now();
  let last = Number.NEGATIVE_INFINITY;
  let drawn = false;
  return {
    update: (done, total) => {
      if (!active || total < minBytes) return;
      const t = now();
      if (t - last < REDRAW_MS && done < total) return;
      last = t;
      const width = opts.stream.columns ?? 80;
      opts.stream.write(`\r${progressLine(done, total, t - start, width)}\x1b[K`);
      drawn = true;
    },
    done: () => {
      if (drawn) opts.stream.write("\r\x1b[K");
      drawn = false;
    },
  };
}
