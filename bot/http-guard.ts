// The front door of HTTP mode, in front of Bolt's HTTPReceiver (its requestListener is wrapped,
// what Bolt allows: a request whose `rawBody` is already read is not read again). Bolt reads up to
// 4 MB of any body before it looks at the signature, and keeps a slow body for as long as it
// trickles. Here a request to /slack/events is refused before its body is read when its headers
// cannot be a signed Slack request (no signature of the right shape, a timestamp more than five
// minutes off); the body is then read with a limit that fits Slack's payloads, a time limit, and a
// cap on all bodies being read at once, its signature computed as it arrives. A body that is signed
// but is not a JSON object or a form (`null`, broken JSON, a bad `payload`) gets 400 here, where
// Bolt would throw out of its request handler. While the bot stops, new requests get 503.
import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { parse as parseQuery } from "node:querystring";
import type { HTTPReceiver, Logger } from "@slack/bolt";

/** Slack's rule: a request's timestamp within five minutes of local time, either way. */
export const MAX_REQUEST_SKEW_SEC = 5 * 60;

export interface GuardLimits {
  /** Largest body of a signed request. Slack's biggest payloads (a view with its state, a message
   *  with 50 blocks, form-encoded) stay well under it. Default 1 MiB. */
  maxBodyBytes: number;
  /** Time to receive a whole body once its headers are in; Slack sends it at once. Default 10 s. */
  bodyTimeoutMs: number;
  /** Bytes of all bodies being read at once; past it, new requests get 503. Default 32 MiB. */
  maxBufferedBytes: number;
}

export const DEFAULT_LIMITS: GuardLimits = {
  maxBodyBytes: 1024 * 1024,
  bodyTimeoutMs: 10_000,
  maxBufferedBytes: 32 * 1024 * 1024,
};

/** An unsigned body is read only when tiny: Slack's `ssl_check=1` probe, which Bolt answers. */
const UNSIGNED_MAX_BYTES = 1024;

type Refusal = 400 | 401 | 408 | 413 | 503;

export class HttpGuard {
  /** While true, new requests get 503 (the bot is stopping). */
  stopping = false;
  /** Bytes of bodies being read right now. */
  bufferedBytes = 0;
  /** Bodies read to the end, and requests refused, by status. */
  readonly counts = { read: 0, 400: 0, 401: 0, 408: 0, 413: 0, 503: 0 };

  constructor(
    private readonly opts: {
      signingSecret: string;
      path: string;
      logger: Logger;
      limits?: Partial<GuardLimits>;
    },
  ) {}

  private get limits(): GuardLimits {
    return { ...DEFAULT_LIMITS, ...this.opts.limits };
  }

  /** Puts the guard in front of the receiver's own request handling. */
  wrap(receiver: HTTPReceiver): void {
    const inner = receiver.requestListener;
    receiver.requestListener = (req, res) => {
      if (this.stopping) return this.refuse(req, res, 503, "stopping");
      const path = (req.url ?? "/").split("?")[0];
      if (req.method !== "POST" || path !== this.opts.path) return inner(req, res);
      this.admit(req, res, inner);
    };
  }

  private refuse(req: IncomingMessage, res: ServerResponse, status: Refusal, why: string): void {
    this.counts[status]++;
    this.opts.logger.debug(`HTTP ${status} for ${req.method} ${req.url}: ${why}`);
    if (!res.headersSent) {
      // The body is not read: the connection goes with the answer, so nobody keeps it open.
      res.writeHead(status, { Connection: "close", ...(status === 503 ? { "Retry-After": "5" } : {}) });
      res.end();
    }
    res.once("finish", () => req.socket.destroy());
    res.once("close", () => req.socket.destroy());
  }

  private admit(req: IncomingMessage, res: ServerResponse, inner: HTTPReceiver["requestListener"]): void {
    const { maxBodyBytes, bodyTimeoutMs, maxBufferedBytes } = this.limits;
    const header = (name: string) => {
      const v = req.headers[name];
      return typeof v === "string" ? v : undefined;
    };
    const signature = header("x-slack-signature") ?? "";
    const timestamp = header("x-slack-request-timestamp") ?? "";
    const ts = /^\d{1,12}$/.test(timestamp) ? Number(timestamp) : Number.NaN;
    const skew = Math.abs(Date.now() / 1000 - ts);
    const signed = /^v0=[0-9a-f]{64}$/.test(signature) && skew <= MAX_REQUEST_SKEW_SEC;
    const contentType = (header("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
    const limit = signed ? maxBodyBytes : UNSIGNED_MAX_BYTES;
    const declared = Number(header("content-length") ?? Number.NaN);

    // Unsigned, only Slack's tiny `ssl_check` form may be read (Bolt answers it); anything else that
    // is not signed, or signed with a timestamp out of range, goes before its body is read.
    const sslCheckShape =
      signature === "" && contentType === "application/x-www-form-urlencoded" && declared <= limit;
    if (!signed && !sslCheckShape) {
      if (/^v0=/.test(signature) && skew > MAX_REQUEST_SKEW_SEC)
        this.opts.logger.info("refused a request dated more than five minutes away (clock skew or a replay)");
      this.refuse(req, res, 401, "not signed");
      return;
    }
    if (declared > limit) {
      this.refuse(req, res, 413, `body of ${declared} bytes`);
      return;
    }
    if (this.bufferedBytes + (Number.isFinite(declared) ? declared : 0) > maxBufferedBytes) {
      this.refuse(req, res, 503, "too many bodies being read");
      return;
    }

    const hmac = signed
      ? createHmac("sha256", this.opts.signingSecret).update(`v0:${timestamp}:`)
      : undefined;
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = () => {
      done = true;
      clearTimeout(timer);
      this.bufferedBytes -= size;
      req.off("data", onData);
      req.off("end", onEnd);
    };
    const fail = (status: Refusal, why: string) => {
      if (done) return;
      finish();
      chunks.length = 0;
      this.refuse(req, res, status, why);
    };
    const timer = setTimeout(() => fail(408, "body too slow"), bodyTimeoutMs);
    const onData = (chunk: Buffer) => {
      if (done) return;
      if (size + chunk.byteLength > limit) return fail(413, "body too large");
      if (this.bufferedBytes + chunk.byteLength > maxBufferedBytes)
        return fail(503, "too many bodies being read");
      size += chunk.byteLength;
      this.bufferedBytes += chunk.byteLength;
      hmac?.update(chunk);
      chunks.push(chunk);
    };
    const onEnd = () => {
      if (done) return;
      finish();
      const body = Buffer.concat(chunks, size);
      chunks.length = 0;
      if (hmac) {
        const expected = Buffer.from(`v0=${hmac.digest("hex")}`);
        const given = Buffer.from(signature);
        if (expected.length !== given.length || !timingSafeEqual(expected, given))
          return this.refuse(req, res, 401, "bad signature");
      }
      const malformed = signed ? malformedBody(body, header("content-type") ?? "") : null;
      if (malformed) {
        this.opts.logger.warn(`refused a signed request whose body ${malformed}`);
        return this.refuse(req, res, 400, malformed);
      }
      this.counts.read++;
      // Bolt takes a request with rawBody as already read (HTTPModuleFunctions.bufferIncomingMessage).
      (req as IncomingMessage & { rawBody?: Buffer }).rawBody = body;
      try {
        inner(req, res);
      } catch (err) {
        this.opts.logger.error("the receiver failed on a request:", err);
        if (!res.headersSent) {
          res.writeHead(500);
          res.end();
        }
      }
    };
    req.on("data", onData);
    req.on("end", onEnd);
    // A client that goes away mid-body: everything held for it is let go at once.
    req.on("close", () => {
      if (!done) {
        finish();
        chunks.length = 0;
      }
    });
    req.on("error", () => undefined);
  }
}

/**
 * Why Bolt could not read the body as its handler does (HTTPModuleFunctions.parseHTTPRequestBody),
 * or null: a form (whose `payload`, when there is one, must be a JSON object) for that exact
 * content type, else a JSON object.
 */
export function malformedBody(body: Buffer, contentType: string): string | null {
  const text = body.toString();
  const object = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);
  try {
    if (contentType === "application/x-www-form-urlencoded") {
      const form = parseQuery(text);
      if (typeof form.payload === "string" && !object(JSON.parse(form.payload)))
        return "has a payload that is not a JSON object";
      if (Array.isArray(form.payload)) return "has more than one payload";
      return null;
    }
    return object(JSON.parse(text)) ? null : "is not a JSON object";
  } catch {
    return contentType === "application/x-www-form-urlencoded"
      ? "has a payload that is not JSON"
      : "is not valid JSON";
  }
}
