// chat.postMessage is not idempotent: when a post times out, loses its connection or gets a 5xx,
// Slack may have posted it anyway, and the Web API client's retry would post it a second time.
// This fetch wrapper (given to every WebClient) tags each post with a key in its message metadata
// (a hash of the request, so a retry of the same post carries the same key) and, after such an
// ambiguous failure, looks in the thread (or channel) for a message with that key before letting
// the client retry. Found: the post is answered as Slack would have. Not found: the client retries.
// Cannot tell (the look-up fails too): the post fails without a retry; a missing answer is better
// than two. Left open: a post Slack commits only after the look-up would still be doubled.
import { createHash } from "node:crypto";
import type { Logger, webApi } from "@slack/bolt";

export const POST_METADATA_EVENT = "tattletale_post";

export interface PostOnceOptions {
  /** Time limit of each look-up request, milliseconds. */
  lookupTimeoutMs?: number;
  /** Look-ups before concluding the post did not land (Slack's history can lag a moment). */
  lookups?: number;
  /** Pause between look-ups, milliseconds. */
  lookupPauseMs?: number;
}

type Fetch = typeof fetch;

interface PostParams {
  channel?: string;
  thread_ts?: string;
  metadata?: string;
}

/** The Web API's request bodies are form-encoded (JSON when a caller asks); both are read here. */
function readBody(body: string, json: boolean): Record<string, string> | null {
  try {
    if (json) {
      const parsed = JSON.parse(body) as Record<string, unknown>;
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(parsed))
        if (v !== undefined && v !== null) out[k] = typeof v === "string" ? v : JSON.stringify(v);
      return out;
    }
    return Object.fromEntries(new URLSearchParams(body));
  } catch {
    return null;
  }
}

function writeBody(fields: Record<string, string>, json: boolean): string {
  if (!json) return new URLSearchParams(fields).toString();
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    try {
      out[k] = k === "blocks" || k === "attachments" || k === "metadata" ? JSON.parse(v) : v;
    } catch {
      out[k] = v;
    }
  }
  return JSON.stringify(out);
}

function headerOf(init: RequestInit | undefined, name: string): string | undefined {
  return init?.headers ? (new Headers(init.headers).get(name) ?? undefined) : undefined;
}

function jsonResponse(data: unknown): Response {
  return new Response(JSON.stringify(data), {
    status: 200,
    headers: { "Content-Type": "application/json; charset=utf-8" },
  });
}

/** Pages of a thread read when looking for a post (200 messages each). */
const MAX_PAGES = 5;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Found {
  ts: string;
  [k: string]: unknown;
}

function hasKey(m: unknown, key: string): m is Found {
  const meta = (m as { metadata?: { event_type?: unknown; event_payload?: { post_key?: unknown } } })
    ?.metadata;
  return meta?.event_type === POST_METADATA_EVENT && meta.event_payload?.post_key === key;
}

/** Wraps `base` so that chat.postMessage is never repeated after Slack may have taken it. */
export function postOnceFetch(base: Fetch, logger: Logger, opts: PostOnceOptions = {}): Fetch {
  const lookupTimeoutMs = opts.lookupTimeoutMs ?? 10_000;
  const lookups = Math.max(1, opts.lookups ?? 2);
  const lookupPauseMs = opts.lookupPauseMs ?? 1000;

  /** One page of the thread (or of the channel's newest messages), or an error code. */
  async function page(
    apiBase: string,
    auth: string | undefined,
    method: string,
    fields: Record<string, string>,
  ): Promise<{ messages: unknown[]; next?: string } | { error: string }> {
    try {
      const res = await base(`${apiBase}${method}`, {
        method: "POST",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          ...(auth ? { Authorization: auth } : {}),
        },
        body: new URLSearchParams(fields).toString(),
        signal: AbortSignal.timeout(lookupTimeoutMs),
      });
      const data = (await res.json().catch(() => ({}))) as {
        ok?: boolean;
        messages?: unknown[];
        error?: string;
        response_metadata?: { next_cursor?: string };
      };
      if (res.status !== 200 || !data.ok) return { error: data.error ?? `HTTP ${res.status}` };
      return { messages: data.messages ?? [], next: data.response_metadata?.next_cursor || undefined };
    } catch (err) {
      return { error: (err as Error).message };
    }
  }

  /** The message carrying `key`: found, not there, or unknown (the look-up failed). */
  async function lookFor(
    apiBase: string,
    auth: string | undefined,
    p: PostParams,
    key: string,
  ): Promise<Found | "absent" | "unknown"> {
    // No `oldest`: the host's clock and Slack's may disagree. A thread is read oldest first (up to
    // MAX_PAGES pages); a channel newest first, where a fresh post is on the first page.
    const method = p.thread_ts ? "conversations.replies" : "conversations.history";
    const fields: Record<string, string> = {
      channel: p.channel ?? "",
      include_all_metadata: "true",
      limit: "200",
      ...(p.thread_ts ? { ts: p.thread_ts } : {}),
    };
    for (let i = 0; i < lookups; i++) {
      if (i > 0) await sleep(lookupPauseMs);
      let cursor: string | undefined;
      for (let n = 0; n < (p.thread_ts ? MAX_PAGES : 1); n++) {
        const got = await page(apiBase, auth, method, { ...fields, ...(cursor ? { cursor } : {}) });
        if ("error" in got) {
          logger.warn(`looking for a post that may have landed: ${method} failed (${got.error})`);
          return "unknown";
        }
        const hit = got.messages.find((m) => hasKey(m, key));
        if (hit) return hit;
        cursor = got.next;
        if (!cursor) break;
      }
    }
    return "absent";
  }

  return async (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const body = init?.body;
    if (!/\/chat\.postMessage$/.test(url) || typeof body !== "string") return base(input, init);
    const json = /application\/json/i.test(headerOf(init, "content-type") ?? "");
    const fields = readBody(body, json);
    // A caller's own metadata is left alone (and such a post is retried as the client decides).
    if (!fields || fields.metadata) return base(input, init);
    const key = createHash("sha256").update(url).update("\n").update(body).digest("hex").slice(0, 32);
    fields.metadata = JSON.stringify({ event_type: POST_METADATA_EVENT, event_payload: { post_key: key } });
    const tagged = { ...init, body: writeBody(fields, json) };
    const apiBase = url.slice(0, url.lastIndexOf("/") + 1);
    const auth = headerOf(init, "authorization");

    const settle = async (why: string, fallback: () => Response | Promise<Response>): Promise<Response> => {
      const found = await lookFor(apiBase, auth, fields, key);
      if (found === "absent") {
        logger.info(`chat.postMessage ${why}; it did not land, so it may be sent again`);
        return fallback();
      }
      if (found === "unknown") {
        logger.error(`chat.postMessage ${why} and whether it landed is unknown: not posting it again`);
        return jsonResponse({ ok: false, error: "tattletale_post_unconfirmed" });
      }
      logger.info(`chat.postMessage ${why}, but it had landed (${found.ts}): not posting it again`);
      return jsonResponse({ ok: true, channel: fields.channel, ts: found.ts, message: found });
    };

    let res: Response;
    try {
      res = await base(input, tagged);
    } catch (err) {
      const e = err as Error;
      return settle(`failed (${e.name}: ${e.message})`, () => {
        throw err;
      });
    }
    // 429 means "not done"; other non-200s (a proxy's 502/504, Slack's 500) may come after the post.
    if (res.status >= 500) {
      const status = res.status;
      const text = await res.text();
      return settle(`answered HTTP ${status}`, () => new Response(text, { status, headers: res.headers }));
    }
    return res;
  };
}

/** The metadata that marks a post with `key`, so that it can be found after an ambiguous failure. */
export function postMetadata(key: string) {
  return { event_type: POST_METADATA_EVENT, event_payload: { post_key: key } };
}

/**
 * Looks for our post carrying `key` in the thread (or among the channel's newest messages), through
 * `client`: found (the message), absent, or unknown (the look-up itself failed). `lookups` reads
 * with `pauseMs` between them, for Slack's history lagging a moment behind a post.
 */
export async function findPost(
  client: webApi.WebClient,
  where: { channel: string; threadTs?: string },
  key: string,
  opts: { lookups?: number; pauseMs?: number } = {},
): Promise<{ ts: string } | "absent" | "unknown"> {
  const lookups = Math.max(1, opts.lookups ?? 1);
  for (let i = 0; i < lookups; i++) {
    if (i > 0) await sleep(opts.pauseMs ?? 1000);
    let cursor: string | undefined;
    try {
      for (let n = 0; n < (where.threadTs ? MAX_PAGES : 1); n++) {
        const page = where.threadTs
          ? await client.conversations.replies({
              channel: where.channel,
              ts: where.threadTs,
              include_all_metadata: true,
              limit: 200,
              ...(cursor ? { cursor } : {}),
            })
          : await client.conversations.history({
              channel: where.channel,
              include_all_metadata: true,
              limit: 200,
            });
        const hit = (page.messages ?? []).find((m) => hasKey(m, key));
        if (hit) return hit;
        cursor = page.response_metadata?.next_cursor || undefined;
        if (!cursor) break;
      }
    } catch {
      return "unknown";
    }
  }
  return "absent";
}
