// A chart into a thread, beside the text reply: files.uploadV2 (files.getUploadURLExternal, the
// bytes POSTed to the URL it returns, files.completeUploadExternal with the channel and thread).
// The chart is extra: every failure, a slow Slack included, comes back as a result, never as a
// throw, so the caller's text reply can never be lost or held up by it.
import type { webApi } from "@slack/bolt";

export interface ChartFile {
  /** PNG bytes. */
  png: Uint8Array;
  /** `pool-usage.png`. */
  filename: string;
  /** Shown above the picture in Slack. */
  title: string;
  /** What the chart shows, in words, for screen readers. */
  altText: string;
}

export interface ChartTarget {
  channel: string;
  threadTs: string;
}

export type ChartUploadResult = { ok: true; fileId: string } | { ok: false; error: string };

export interface ChartUploadOptions {
  /** Gives up waiting after this long (the upload may still land; `replaceChart` tidies up). */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
/** Slack's limit for alt text. */
const ALT_TEXT_MAX = 1000;

/** What went wrong, short: Slack's error code, or the client's message. Never a token. */
function describe(error: unknown): string {
  const e = error as { data?: { error?: unknown }; message?: unknown };
  if (typeof e?.data?.error === "string") return e.data.error;
  return typeof e?.message === "string" ? e.message : String(error);
}

function fileIdOf(result: unknown): string | null {
  const completions = (result as { files?: Array<{ files?: Array<{ id?: unknown }> }> })?.files;
  const id = completions?.[0]?.files?.[0]?.id;
  return typeof id === "string" ? id : null;
}

async function settle<T>(
  work: () => Promise<T>,
  timeoutMs: number,
): Promise<{ ok: true; value: T } | { ok: false; error: string }> {
  let timer: NodeJS.Timeout | undefined;
  const running = (async () => work())();
  // A late failure after the timeout must not become an unhandled rejection.
  running.catch(() => undefined);
  const timeout = new Promise<{ ok: false; error: string }>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, error: `timed out after ${timeoutMs} ms` }), timeoutMs);
  });
  try {
    return await Promise.race([
      running.then(
        (value) => ({ ok: true as const, value }),
        (error: unknown) => ({ ok: false as const, error: describe(error) }),
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Uploads the chart into the thread. Resolves with the file id, or with why it did not. */
export async function uploadChart(
  client: webApi.WebClient,
  target: ChartTarget,
  chart: ChartFile,
  opts: ChartUploadOptions = {},
): Promise<ChartUploadResult> {
  if (chart.png.byteLength === 0) return { ok: false, error: "empty chart" };
  const result = await settle(
    () =>
      client.files.uploadV2({
        channel_id: target.channel,
        thread_ts: target.threadTs,
        file: Buffer.from(chart.png),
        filename: chart.filename,
        title: chart.title,
        alt_text: chart.altText.slice(0, ALT_TEXT_MAX),
      }),
    opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  );
  if (!result.ok) return result;
  const fileId = fileIdOf(result.value);
  return fileId === null
    ? { ok: false, error: "Slack did not say which file it made" }
    : { ok: true, fileId };
}

/** Deletes a chart the bot uploaded. Resolves with why not, never throws. */
export async function deleteChart(
  client: webApi.WebClient,
  fileId: string,
  opts: ChartUploadOptions = {},
): Promise<{ ok: true } | { ok: false; error: string }> {
  const result = await settle(
    () => client.files.delete({ file: fileId }),
    opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  );
  return result.ok ? { ok: true } : result;
}

/**
 * One chart per reply: uploads the new chart, then deletes the previous one (after, so the thread
 * is never left without a chart because an upload failed; a failed upload keeps the old one).
 */
export async function replaceChart(
  client: webApi.WebClient,
  target: ChartTarget,
  previousFileId: string | null,
  chart: ChartFile,
  opts: ChartUploadOptions = {},
): Promise<ChartUploadResult & { previousDeleted: boolean }> {
  const uploaded = await uploadChart(client, target, chart, opts);
  if (!uploaded.ok || previousFileId === null) return { ...uploaded, previousDeleted: false };
  const deleted = await deleteChart(client, previousFileId, opts);
  return { ...uploaded, previousDeleted: deleted.ok };
}
