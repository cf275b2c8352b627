// What a failed Web API call means for a retry: wait for Retry-After (429), try again later (5xx,
// connection reset, timeout: Slack may or may not have done it, `ambiguous`), or give up (Slack
// said no for a reason a retry will not change: not_in_channel, invalid_blocks…).
import { webApi } from "@slack/bolt";

const ErrorCode = webApi.ErrorCode;

export type SlackFailure =
  | { kind: "rate-limited"; afterMs: number }
  | { kind: "transient"; ambiguous: boolean; why: string }
  | { kind: "refused"; code: string };

/** Slack errors (ok: false) that say "not now" rather than "no". */
const TRANSIENT_CODES = new Set([
  "internal_error",
  "fatal_error",
  "service_unavailable",
  "request_timeout",
  "ratelimited",
  "team_added_to_org",
]);

export function slackFailure(err: unknown): SlackFailure {
  const e = err as {
    code?: unknown;
    retryAfter?: unknown;
    statusCode?: unknown;
    data?: { error?: unknown };
    original?: { message?: string; name?: string };
    message?: string;
  };
  if (e?.code === ErrorCode.RateLimitedError) {
    const seconds = typeof e.retryAfter === "number" && e.retryAfter >= 0 ? e.retryAfter : 1;
    return { kind: "rate-limited", afterMs: seconds * 1000 };
  }
  if (e?.code === ErrorCode.HTTPError) {
    const status = Number(e.statusCode);
    if (status === 429) return { kind: "rate-limited", afterMs: 1000 };
    // A proxy's 502/504 or Slack's 500 may come after the call was done.
    if (status >= 500 || status === 408) return { kind: "transient", ambiguous: true, why: `HTTP ${status}` };
    return { kind: "refused", code: `http_${status}` };
  }
  if (e?.code === ErrorCode.RequestError) {
    const o = e.original;
    return {
      kind: "transient",
      ambiguous: true,
      why: `${o?.name ?? "Error"}: ${o?.message ?? "request failed"}`,
    };
  }
  if (e?.code === ErrorCode.PlatformError) {
    const code = typeof e.data?.error === "string" ? e.data.error : "unknown_error";
    return TRANSIENT_CODES.has(code)
      ? { kind: "transient", ambiguous: false, why: code }
      : { kind: "refused", code };
  }
  return { kind: "transient", ambiguous: true, why: e?.message ?? String(err) };
}

/** A failure that says nothing about Slack (our bug, a store error): not a Slack answer at all. */
export function isSlackError(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return (
    code === ErrorCode.RateLimitedError ||
    code === ErrorCode.HTTPError ||
    code === ErrorCode.RequestError ||
    code === ErrorCode.PlatformError
  );
}
