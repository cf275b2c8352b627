// A fake Slack for tests and benchmarks, over real loopback HTTP and WebSocket: the Web API methods
// the bot uses (recording every call, faulted ones included), private file downloads (checking the
// bot token), file uploads the way files.uploadV2 makes them (files.getUploadURLExternal, a POST of
// the bytes to the upload URL it returns, files.completeUploadExternal), response URLs, a Socket
// Mode endpoint behind apps.connections.open, and a small world of people and conversations
// (users.info, bots.info, conversations.info, conversations.members). Faults can be injected per
// call (failNext: 429 runs with Retry-After, 5xx runs, resets before or after Slack did the call,
// slow answers, hangs), on the upload URL, or for a while on whole methods (outage … restore: the
// API down). Every payload the bot sends is read by the mrkdwn validator: close() fails when one
// holds a control sequence the bot did not mean (a mention, a broadcast, a stray `<`…).
import { once } from "node:events";
import { createReadStream, statSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";
import { loadKnowledgeBase } from "../../kb/index.js";
import { type MrkdwnPolicy, type MrkdwnProblem, payloadProblems } from "./mrkdwn-validator.js";

export interface FakeSlackOptions {
  botToken?: string;
  appToken?: string;
  teamId?: string;
  botUserId?: string;
  botId?: string;
  /** How often the Socket Mode endpoint pings its clients (Slack does, and clients expect it). */
  pingIntervalMs?: number;
  /** Run the mrkdwn validator over every payload on close() (default true). */
  checkMrkdwn?: boolean;
}

/** A person of the fake workspace. Anyone not added exists too, named after their id (UANN: ann). */
export interface FakeUser {
  displayName: string;
  realName?: string;
  tz?: string;
}

export type ConversationKindName = "public" | "private" | "im" | "mpim";

/** A conversation of the fake workspace; unset ones are public (C…), a DM (D…) or private (G…). */
export interface FakeConversation {
  kind: ConversationKindName;
  /** Members (the bot's user is added); unset: whoever wrote there, and the bot. */
  members?: string[];
}

export type Auth = "bot" | "app" | "none" | "invalid";

export interface RecordedCall {
  method: string;
  // biome-ignore lint/suspicious/noExplicitAny: recorded bodies are whatever the client sent
  body: Record<string, any>;
  /** Request headers, the Authorization value replaced by which token it was. */
  headers: Record<string, string>;
  auth: Auth;
  /** HTTP status answered; faulted attempts are recorded too. */
  status: number;
  faulted: boolean;
  /** When the request arrived (Date.now()), to check retries come no earlier than Retry-After. */
  at: number;
}

export type Fault =
  | { status: 429; retryAfter: number }
  | { status: 500 | 502 | 503 }
  /** Waits, then handles the call as usual (the client may have given up by then). */
  | { delayMs: number }
  /** Handles the call at once (a post is stored), then answers after the delay: "Slack posted it, slowly". */
  | { commitThenDelayMs: number }
  | { error: string }
  /** Closes the connection without an answer, before handling the call. */
  | { drop: true }
  /** Handles the call (a post is stored), then closes the connection without an answer. */
  | { commitThenDrop: true }
  /** Never answers: the request hangs until the client gives up or releaseHangs() is called. */
  | { hang: true };

/** What an outage does to every call of the methods it covers, until restore(). */
export type Outage = "hang" | "reset" | 500 | 503;

/** What a file download does instead of answering at once. */
export type FileFault =
  /** Sends the headers, then nothing for this long, then the body. */
  | { stallMs: number }
  /** Streams without a Content-Length, forever (until the reader stops or the server closes). */
  | { endless: true }
  /** Redirects (302) to this URL. */
  | { redirectTo: string };

export interface StoredMessage {
  ts: string;
  thread_ts?: string;
  user?: string;
  bot_id?: string;
  subtype?: string;
  text?: string;
  // biome-ignore lint/suspicious/noExplicitAny: Block Kit as sent
  blocks?: any[];
  // biome-ignore lint/suspicious/noExplicitAny: Slack file objects
  files?: any[];
  /** Message metadata as posted (`{ event_type, event_payload }`). */
  metadata?: unknown;
  /** An integration's alert carries its words here too. */
  // biome-ignore lint/suspicious/noExplicitAny: Slack attachments
  attachments?: any[];
  /** Set on an edited message. */
  edited?: { user?: string; ts: string };
}

export interface FakeFile {
  id: string;
  name: string;
  mimetype: string;
  filetype: string;
  content: Buffer;
  /** Served from this file on disk, streamed, instead of `content` (big generated logs). */
  path?: string;
  size: number;
  mode?: string;
}

/** What the upload URL does instead of taking the bytes. */
export type UploadFault = { status: 500 | 502 | 503 } | { drop: true };

/** A file uploaded by the bot: announced, its bytes posted, then completed into a channel (or not). */
export interface Upload {
  fileId: string;
  filename: string;
  /** The length announced to files.getUploadURLExternal. */
  length: number;
  altText?: string;
  /** The bytes posted to the upload URL, once they arrive. */
  bytes?: Buffer;
  /** Set by files.completeUploadExternal. */
  title?: string;
  channel?: string;
  threadTs?: string;
  completed: boolean;
  deleted: boolean;
}

export interface Ack {
  envelope_id: string;
  payload?: unknown;
}

const JSON_FIELDS = new Set(["blocks", "view", "attachments", "metadata", "files"]);

function readBytes(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

async function readBody(req: IncomingMessage): Promise<string> {
  return (await readBytes(req)).toString("utf8");
}

/** The file part of a multipart upload (what the Web API client sends), or the raw body. */
async function uploadedBytes(raw: Buffer, contentType: string): Promise<Buffer> {
  if (!contentType.startsWith("multipart/form-data")) return raw;
  const form = await new Response(new Uint8Array(raw), {
    headers: { "content-type": contentType },
  }).formData();
  for (const [, value] of form) {
    if (typeof value !== "string") return Buffer.from(await value.arrayBuffer());
  }
  return Buffer.alloc(0);
}

// biome-ignore lint/suspicious/noExplicitAny: parsed request bodies
function parseBody(raw: string, contentType: string): Record<string, any> {
  if (contentType.includes("application/json")) return raw ? JSON.parse(raw) : {};
  // biome-ignore lint/suspicious/noExplicitAny: parsed request bodies
  const out: Record<string, any> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    if (JSON_FIELDS.has(k)) {
      try {
        out[k] = JSON.parse(v);
        continue;
      } catch {
        // keep the string
      }
    }
    out[k] = v;
  }
  return out;
}

export class FakeSlack {
  readonly botToken: string;
  readonly appToken: string;
  readonly teamId: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly calls: RecordedCall[] = [];
  readonly responses: Array<{ id: string; body: Record<string, unknown> }> = [];
  readonly downloads: Array<{ fileId: string; auth: Auth }> = [];
  /** Bytes written for each download of an endless file, to see the reader stopped. */
  readonly endlessBytesSent: number[] = [];
  /** Endless downloads whose connection has closed (the reader gave up, as it should). */
  endlessClosed = 0;
  readonly acks: Ack[] = [];
  /** Files the bot uploaded (files.getUploadURLExternal onwards), in order. */
  readonly uploads: Upload[] = [];
  /** Channels the bot is not a member of: reading or posting there fails with not_in_channel. */
  readonly notInChannel = new Set<string>();
  private readonly users = new Map<string, FakeUser>();
  private readonly bots = new Map<string, string>();
  private readonly conversations = new Map<string, FakeConversation>();
  private readonly messages = new Map<string, StoredMessage[]>();
  private readonly files = new Map<string, FakeFile>();
  private readonly faults = new Map<string, Fault[]>();
  private outageMode?: { mode: Outage; methods: Set<string> | null };
  private readonly hung = new Set<ServerResponse>();
  private readonly fileFaults = new Map<string, FileFault>();
  private readonly uploadFaults: UploadFault[] = [];
  /** Envelopes sent but not acked, by envelope id, for redelivery after a reconnect. */
  readonly unacked = new Map<
    string,
    { type: "events_api" | "slash_commands" | "interactive"; payload: unknown; retryAttempt: number }
  >();
  private readonly sockets = new Set<WebSocket>();
  private readonly httpSockets = new Set<Socket>();
  private readonly ackWaiters = new Map<string, (ack: Ack) => void>();
  private readonly cutOnAck = new Set<string>();
  private server!: Server;
  private wss!: WebSocketServer;
  private pinger?: NodeJS.Timeout;
  private tsCounter = 0;
  private envelopeCounter = 0;
  connections = 0;
  origin = "";

  private constructor(private readonly opts: FakeSlackOptions) {
    this.botToken = opts.botToken ?? "xoxb-fake-bot-token-0000";
    this.appToken = opts.appToken ?? "xapp-1-fake-app-token-0000";
    this.teamId = opts.teamId ?? "T0FAKE";
    this.botUserId = opts.botUserId ?? "UTATTLE";
    this.botId = opts.botId ?? "BTATTLE";
  }

  static async start(opts: FakeSlackOptions = {}): Promise<FakeSlack> {
    const fake = new FakeSlack(opts);
    await fake.listen();
    return fake;
  }

  /** The Web API base URL, ending in `/api/` (SLACK_API_URL). */
  get url(): string {
    return `${this.origin}/api/`;
  }

  private async listen(): Promise<void> {
    this.server = createServer((req, res) => {
      this.route(req, res).catch((err) => {
        res.writeHead(500);
        res.end(String(err));
      });
    });
    this.server.on("connection", (s) => {
      this.httpSockets.add(s);
      s.on("close", () => this.httpSockets.delete(s));
    });
    this.wss = new WebSocketServer({ noServer: true });
    this.server.on("upgrade", (req, socket, head) => {
      if (!req.url?.startsWith("/socket")) return socket.destroy();
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onSocket(ws));
    });
    this.server.listen(0, "127.0.0.1");
    await once(this.server, "listening");
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    this.pinger = setInterval(() => {
      for (const ws of this.sockets) ws.ping();
    }, this.opts.pingIntervalMs ?? 5000);
    this.pinger.unref();
  }

  /** Stops the fake; then fails when a payload the bot sent held a control sequence it did not mean. */
  async close(): Promise<void> {
    clearInterval(this.pinger);
    this.releaseHangs();
    for (const ws of this.sockets) ws.terminate();
    this.wss.close();
    for (const s of this.httpSockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    if (this.opts.checkMrkdwn === false) return;
    const problems = this.mrkdwnProblems();
    if (problems.length > 0)
      throw new Error(
        `fake Slack: the bot sent ${problems.length} mrkdwn control sequence(s) it did not mean:\n${problems
          .slice(0, 20)
          .map((p) => `  ${p.where}: ${p.kind} ${JSON.stringify(p.raw)}`)
          .join("\n")}`,
      );
  }

  // ---- mrkdwn ------------------------------------------------------------------------------

  /** Every conversation the bot could mean by `<#C…>`: stored, set up, or named in a call. */
  knownChannels(): Set<string> {
    const known = new Set<string>([...this.messages.keys(), ...this.conversations.keys()]);
    for (const c of this.calls)
      for (const key of ["channel", "channel_id"])
        if (typeof c.body[key] === "string") known.add(c.body[key] as string);
    return known;
  }

  /** What the bot means to send: channels it knows, links to the KB's references and to this fake's permalinks. */
  mrkdwnPolicy(): MrkdwnPolicy {
    const channels = this.knownChannels();
    const hosts = referenceHosts();
    return { channel: (id) => channels.has(id), linkHost: (host) => hosts.has(host) };
  }

  /** The unmeant control sequences of every payload the bot sent: messages, updates, ephemerals, views, responses. */
  mrkdwnProblems(): MrkdwnProblem[] {
    const policy = this.mrkdwnPolicy();
    return [
      ...this.calls
        .filter((c) => RENDERED_METHODS.has(c.method))
        .flatMap((c) => payloadProblems(c.body, policy, c.method)),
      ...this.responses.flatMap((r) => payloadProblems(r.body, policy, `response ${r.id}`)),
    ];
  }

  // ---- people and conversations --------------------------------------------------------------

  addUser(id: string, user: FakeUser): void {
    this.users.set(id, user);
  }

  /** users.info's person for any U…/W… id: added, or named after the id. */
  userOf(id: string): FakeUser | undefined {
    if (!/^[UW][A-Z0-9_]+$/.test(id)) return undefined;
    return this.users.get(id) ?? { displayName: id.slice(1).toLowerCase() };
  }

  addBot(id: string, name: string): void {
    this.bots.set(id, name);
  }

  setConversation(id: string, c: FakeConversation): void {
    this.conversations.set(id, c);
  }

  /** Makes a conversation exist (where a command was typed, say), as its id's kind unless set. */
  knowConversation(id: string): void {
    if (!this.conversations.has(id)) this.conversations.set(id, { kind: this.kindOf(id) });
  }

  kindOf(channel: string): ConversationKindName {
    return (
      this.conversations.get(channel)?.kind ??
      (channel.startsWith("D") ? "im" : channel.startsWith("G") ? "private" : "public")
    );
  }

  membersOf(channel: string): string[] {
    const set = this.conversations.get(channel)?.members;
    const members = set ?? this.channelMessages(channel).map((m) => m.user);
    return [
      ...new Set([...members.filter((m): m is string => typeof m === "string"), this.botUserId]),
    ].sort();
  }

  /** Edits a stored message as a person would; returns it before and after (for a message_changed event). */
  editMessage(
    channel: string,
    ts: string,
    text: string,
  ): { previous: StoredMessage; message: StoredMessage } {
    const m = this.messages.get(channel)?.find((x) => x.ts === ts);
    if (!m) throw new Error(`fake Slack: no message ${channel}/${ts}`);
    const previous = structuredClone(m);
    m.text = text;
    m.edited = { ...(m.user ? { user: m.user } : {}), ts: this.nextTs() };
    return { previous, message: structuredClone(m) };
  }

  // ---- data --------------------------------------------------------------------------------

  nextTs(): string {
    this.tsCounter += 1;
    return `${1700000000 + this.tsCounter}.${String(100 + this.tsCounter).padStart(6, "0")}`;
  }

  /** A person's message, as Slack stores it; returns it with its ts. */
  addMessage(channel: string, m: Omit<StoredMessage, "ts"> & { ts?: string }): StoredMessage {
    const stored: StoredMessage = { ...m, ts: m.ts ?? this.nextTs() };
    const list = this.messages.get(channel) ?? [];
    list.push(stored);
    this.messages.set(channel, list);
    return stored;
  }

  channelMessages(channel: string): StoredMessage[] {
    return [...(this.messages.get(channel) ?? [])];
  }

  thread(channel: string, threadTs: string): StoredMessage[] {
    return this.channelMessages(channel)
      .filter((m) => m.ts === threadTs || m.thread_ts === threadTs)
      .sort((a, b) => Number(a.ts) - Number(b.ts));
  }

  /** A file as Slack hosts it (its content, or a file on disk served streamed); returns the file object an event carries. */
  addFile(
    f: Omit<FakeFile, "id" | "content" | "size"> &
      ({ id?: string; content: string | Buffer } | { id?: string; path: string; content?: undefined }),
  ) {
    const id = f.id ?? `F${String(this.files.size + 1).padStart(6, "0")}`;
    const content =
      f.content === undefined
        ? Buffer.alloc(0)
        : Buffer.isBuffer(f.content)
          ? f.content
          : Buffer.from(f.content);
    const file: FakeFile = {
      ...f,
      id,
      content,
      size: f.path ? statSync(f.path).size : content.byteLength,
    };
    this.files.set(id, file);
    return this.fileObject(file);
  }

  fileObject(file: FakeFile) {
    return {
      id: file.id,
      name: file.name,
      title: file.name,
      mimetype: file.mimetype,
      filetype: file.filetype,
      size: file.size,
      mode: file.mode ?? "hosted",
      url_private: `${this.origin}/files/${file.id}/${encodeURIComponent(file.name)}`,
      url_private_download: `${this.origin}/files/${file.id}/download/${encodeURIComponent(file.name)}`,
    };
  }

  responseUrl(id = `R${this.responses.length + 1}`): string {
    return `${this.origin}/response/${id}`;
  }

  // ---- faults and queries --------------------------------------------------------------------

  /** The next `times` calls of `method` get `fault` (429, 500, a delay, a Slack error, a drop). */
  failNext(method: string, fault: Fault, times = 1): void {
    const list = this.faults.get(method) ?? [];
    for (let i = 0; i < times; i++) list.push(fault);
    this.faults.set(method, list);
  }

  /**
   * The Web API goes down: every call of `methods` (all but auth.test when absent) hangs, has its
   * connection reset, or gets a 5xx, until restore(). Calls are recorded as faulted.
   */
  outage(mode: Outage, methods?: string[]): void {
    this.outageMode = { mode, methods: methods ? new Set(methods) : null };
  }

  /** The Web API is back: hung requests are let go (their clients gave up long ago) and calls succeed. */
  restore(): void {
    this.outageMode = undefined;
    this.releaseHangs();
  }

  /** Closes the connections of hung requests without an answer. */
  releaseHangs(): void {
    for (const res of this.hung) res.socket?.destroy();
    this.hung.clear();
  }

  /** Requests hanging right now. */
  get hanging(): number {
    return [...this.hung].filter((r) => !r.destroyed).length;
  }

  /** Every download of file `id` gets `fault` (a stall, an endless body, a redirect). */
  failFile(id: string, fault: FileFault): void {
    this.fileFaults.set(id, fault);
  }

  /** The next `times` POSTs to an upload URL get `fault` (a 5xx, or a dropped connection). */
  failUploads(fault: UploadFault, times = 1): void {
    for (let i = 0; i < times; i++) this.uploadFaults.push(fault);
  }

  /** Forgets every fault not yet used (per method, and on upload URLs). */
  clearFaults(): void {
    this.faults.clear();
    this.uploadFaults.length = 0;
  }

  /** Uploads completed into a channel (and thread) and not deleted: what a person would see. */
  sharedFiles(channel?: string, threadTs?: string): Upload[] {
    return this.uploads.filter(
      (u) =>
        u.completed &&
        !u.deleted &&
        (channel === undefined || u.channel === channel) &&
        (threadTs === undefined || u.threadTs === threadTs),
    );
  }

  /** Every attempt at a method, faulted ones included, in order. */
  attemptsAt(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Successful calls of a method, in order. */
  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method && !c.faulted);
  }

  /** Calls that post or change a message in a channel (what a person would see). */
  visiblePosts(channel?: string): RecordedCall[] {
    return this.calls.filter(
      (c) =>
        !c.faulted &&
        (c.method === "chat.postMessage" || c.method === "chat.update") &&
        (channel === undefined || c.body.channel === channel),
    );
  }

  async waitFor<T>(
    probe: () => T | undefined | false | Promise<T | undefined | false>,
    timeoutMs = 15_000,
    /** What was awaited; a function is asked at the timeout, so it can say the state then. */
    what: string | (() => string) = "condition",
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = await probe();
      if (v) return v;
      if (Date.now() > deadline)
        throw new Error(`fake Slack: timed out waiting for ${typeof what === "string" ? what : what()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  waitForCalls(method: string, count = 1, timeoutMs?: number): Promise<RecordedCall[]> {
    return this.waitFor(
      () => {
        const c = this.callsTo(method);
        return c.length >= count ? c : undefined;
      },
      timeoutMs,
      `${count} ${method} call(s)`,
    );
  }

  // ---- HTTP ----------------------------------------------------------------------------------

  private authOf(req: IncomingMessage): Auth {
    const h = req.headers.authorization;
    if (!h) return "none";
    if (h === `Bearer ${this.botToken}`) return "bot";
    if (h === `Bearer ${this.appToken}`) return "app";
    return "invalid";
  }

  private headersOf(req: IncomingMessage, auth: Auth): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (v === undefined) continue;
      out[k] = k === "authorization" ? `Bearer <${auth}>` : Array.isArray(v) ? v.join(", ") : v;
    }
    return out;
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.origin);
    const auth = this.authOf(req);
    if (url.pathname.startsWith("/api/") && req.method === "POST") {
      const method = url.pathname.slice(5);
      const body = parseBody(await readBody(req), req.headers["content-type"] ?? "");
      return this.api(method, body, auth, this.headersOf(req, auth), res);
    }
    if (url.pathname.startsWith("/files/") && req.method === "GET") {
      const id = url.pathname.split("/")[2] ?? "";
      this.downloads.push({ fileId: id, auth });
      const file = this.files.get(id);
      if (auth !== "bot") {
        // Slack answers an unauthenticated file URL with its sign-in page.
        res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
        return void res.end("<!DOCTYPE html><html><body>Sign in to Slack</body></html>");
      }
      if (!file) {
        res.writeHead(404);
        return void res.end();
      }
      const fault = this.fileFaults.get(id);
      if (fault && "redirectTo" in fault) {
        res.writeHead(302, { Location: fault.redirectTo });
        return void res.end();
      }
      if (fault && "endless" in fault) return this.endless(res, file);
      if (fault && "stallMs" in fault) {
        res.writeHead(200, { "Content-Type": file.mimetype });
        res.flushHeaders();
        await new Promise((r) => setTimeout(r, fault.stallMs));
        if (res.destroyed) return;
        return void res.end(file.content);
      }
      res.writeHead(200, { "Content-Type": file.mimetype, "Content-Length": file.size });
      if (file.path) {
        const from = createReadStream(file.path);
        res.on("close", () => from.destroy());
        return void from.pipe(res);
      }
      return void res.end(file.content);
    }
    if (url.pathname.startsWith("/upload/") && req.method === "POST") {
      return this.receiveUpload(url.pathname.split("/")[2] ?? "", req, res);
    }
    if (url.pathname.startsWith("/response/") && req.method === "POST") {
      const id = url.pathname.split("/")[2] ?? "";
      const raw = await readBody(req);
      this.responses.push({ id, body: raw ? JSON.parse(raw) : {} });
      res.writeHead(200, { "Content-Type": "text/plain" });
      return void res.end("ok");
    }
    res.writeHead(404);
    res.end();
  }

  /** The bytes of an announced upload, as the upload URL takes them (no token needed, as at Slack). */
  private async receiveUpload(id: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBytes(req);
    const fault = this.uploadFaults.shift();
    if (fault && "drop" in fault) return void res.socket?.destroy();
    if (fault) {
      res.writeHead(fault.status, { "Content-Type": "text/plain" });
      return void res.end("upload failed");
    }
    const upload = this.uploads.find((u) => u.fileId === id);
    if (!upload) {
      res.writeHead(404, { "Content-Type": "text/plain" });
      return void res.end("no such upload");
    }
    upload.bytes = await uploadedBytes(raw, req.headers["content-type"] ?? "");
    res.writeHead(200, { "Content-Type": "text/plain" });
    res.end(`OK - ${upload.bytes.byteLength}`);
  }

  // biome-ignore lint/suspicious/noExplicitAny: Slack API shapes
  private completeUploads(body: Record<string, any>): Record<string, unknown> {
    const channel = body.channel_id === undefined ? undefined : String(body.channel_id);
    if (channel && this.notInChannel.has(channel)) return { ok: false, error: "not_in_channel" };
    const wanted: Array<{ id: string; title?: string }> = Array.isArray(body.files) ? body.files : [];
    const uploads = wanted.map((w) => ({ w, u: this.uploads.find((u) => u.fileId === w.id) }));
    if (wanted.length === 0 || uploads.some(({ u }) => !u?.bytes || u.completed)) {
      return { ok: false, error: "file_not_found" };
    }
    const threadTs = body.thread_ts === undefined ? undefined : String(body.thread_ts);
    const shared = uploads.map(({ w, u }) => {
      const upload = u as Upload;
      Object.assign(upload, { title: w.title ?? upload.filename, channel, threadTs, completed: true });
      const file = this.addFile({
        id: upload.fileId,
        name: upload.filename,
        mimetype: upload.filename.endsWith(".png") ? "image/png" : "application/octet-stream",
        filetype: upload.filename.split(".").pop() ?? "binary",
        content: upload.bytes as Buffer,
      });
      return { ...file, title: upload.title };
    });
    if (channel) {
      this.addMessage(channel, {
        bot_id: this.botId,
        user: this.botUserId,
        text: body.initial_comment ?? "",
        files: shared,
        ...(threadTs ? { thread_ts: threadTs } : {}),
      });
    }
    return { ok: true, files: shared.map((f) => ({ id: f.id, title: f.title })) };
  }

  /** Deletes an uploaded file and the message that shared it. */
  private deleteFile(id: string): Record<string, unknown> {
    const upload = this.uploads.find((u) => u.fileId === id && !u.deleted);
    if (!upload || !this.files.delete(id)) return { ok: false, error: "file_not_found" };
    upload.deleted = true;
    for (const list of this.messages.values()) {
      const at = list.findIndex((m) => m.files?.some((f) => f.id === id));
      if (at >= 0) list.splice(at, 1);
    }
    return { ok: true };
  }

  /** The file's content over and over, chunked, until the client goes away. */
  private endless(res: ServerResponse, file: FakeFile): void {
    const slot = this.endlessBytesSent.push(0) - 1;
    res.writeHead(200, { "Content-Type": file.mimetype });
    const chunk = Buffer.concat(
      Array.from({ length: Math.ceil(65536 / file.content.byteLength) }, () => file.content),
    );
    const pump = () => {
      while (!res.destroyed && res.writable) {
        this.endlessBytesSent[slot] = (this.endlessBytesSent[slot] ?? 0) + chunk.byteLength;
        if (!res.write(chunk)) return void res.once("drain", pump);
      }
    };
    res.on("close", () => {
      this.endlessClosed += 1;
    });
    pump();
  }

  private async api(
    method: string,
    // biome-ignore lint/suspicious/noExplicitAny: parsed request bodies
    body: Record<string, any>,
    auth: Auth,
    headers: Record<string, string>,
    res: ServerResponse,
  ): Promise<void> {
    const at = Date.now();
    const out = this.outageMode;
    const down = out && method !== "auth.test" && (out.methods === null || out.methods.has(method));
    const fault: Fault | undefined = down
      ? out.mode === "hang"
        ? { hang: true }
        : out.mode === "reset"
          ? { drop: true }
          : { status: out.mode }
      : this.faults.get(method)?.shift();
    const record = (status: number, faulted: boolean) =>
      this.calls.push({ method, body, headers, auth, status, faulted, at });
    if (fault) {
      if ("hang" in fault) {
        record(0, true);
        this.hung.add(res);
        res.on("close", () => this.hung.delete(res));
        return;
      }
      if ("commitThenDrop" in fault) {
        const wanted = method === "apps.connections.open" ? "app" : "bot";
        if (auth === wanted) this.answer(method, body);
        record(0, true);
        return void res.socket?.destroy();
      }
      if ("delayMs" in fault) await new Promise((r) => setTimeout(r, fault.delayMs));
      else if ("commitThenDelayMs" in fault) {
        const wanted = method === "apps.connections.open" ? "app" : "bot";
        const answer = auth === wanted ? this.answer(method, body) : { ok: false, error: "invalid_auth" };
        record(200, auth !== wanted);
        await new Promise((r) => setTimeout(r, fault.commitThenDelayMs));
        if (res.destroyed) return;
        return this.json(res, answer);
      } else if ("drop" in fault) {
        record(0, true);
        return void res.socket?.destroy();
      } else if ("status" in fault) {
        record(fault.status, true);
        const headers: Record<string, string> = { "Content-Type": "application/json" };
        if (fault.status === 429) headers["Retry-After"] = String(fault.retryAfter);
        res.writeHead(fault.status, headers);
        return void res.end(
          JSON.stringify({ ok: false, error: fault.status === 429 ? "ratelimited" : "fatal_error" }),
        );
      } else {
        record(200, true);
        return this.json(res, { ok: false, error: fault.error });
      }
    }
    const wanted = method === "apps.connections.open" ? "app" : "bot";
    if (auth !== wanted) {
      record(200, true);
      return this.json(res, { ok: false, error: auth === "none" ? "not_authed" : "invalid_auth" });
    }
    record(200, false);
    return this.json(res, this.answer(method, body));
  }

  /** Slack returns message metadata only when asked (`include_all_metadata`). */
  // biome-ignore lint/suspicious/noExplicitAny: Slack API shapes
  private withMetadata(m: StoredMessage, body: Record<string, any>): StoredMessage {
    if (body.include_all_metadata === true || body.include_all_metadata === "true") return m;
    const { metadata: _dropped, ...rest } = m;
    return rest;
  }

  private json(res: ServerResponse, data: unknown): void {
    res.writeHead(200, { "Content-Type": "application/json; charset=utf-8" });
    res.end(JSON.stringify(data));
  }

  // biome-ignore lint/suspicious/noExplicitAny: Slack API shapes
  private answer(method: string, body: Record<string, any>): Record<string, unknown> {
    const channel = String(body.channel ?? "");
    const notMember = channel && this.notInChannel.has(channel);
    switch (method) {
      case "auth.test":
        return {
          ok: true,
          url: "https://fake.slack.com/",
          team: "Fake",
          user: "tattletale",
          team_id: this.teamId,
          user_id: this.botUserId,
          bot_id: this.botId,
        };
      case "chat.postMessage": {
        if (notMember) return { ok: false, error: "not_in_channel" };
        const m = this.addMessage(channel, {
          text: body.text,
          blocks: body.blocks,
          bot_id: this.botId,
          user: this.botUserId,
          ...(body.thread_ts ? { thread_ts: String(body.thread_ts) } : {}),
          ...(body.metadata ? { metadata: body.metadata } : {}),
        });
        return { ok: true, channel, ts: m.ts, message: m };
      }
      case "chat.update": {
        const m = this.messages.get(channel)?.find((x) => x.ts === body.ts);
        if (!m) return { ok: false, error: "message_not_found" };
        if (m.bot_id !== this.botId) return { ok: false, error: "cant_update_message" };
        m.text = body.text;
        m.blocks = body.blocks;
        return { ok: true, channel, ts: m.ts, text: m.text };
      }
      case "chat.postEphemeral":
        return notMember ? { ok: false, error: "not_in_channel" } : { ok: true, message_ts: this.nextTs() };
      case "chat.getPermalink":
        return {
          ok: true,
          channel,
          permalink: `https://fake.slack.com/archives/${channel}/p${String(body.message_ts).replace(".", "")}`,
        };
      case "conversations.replies": {
        if (notMember) return { ok: false, error: "not_in_channel" };
        const all = this.thread(channel, String(body.ts))
          .filter((m) => body.oldest === undefined || Number(m.ts) >= Number(body.oldest))
          .map((m) => this.withMetadata(m, body));
        if (all.length === 0) return { ok: false, error: "thread_not_found" };
        const start = Number(body.cursor ?? 0) || 0;
        const limit = Math.max(1, Number(body.limit ?? 100));
        const page = all.slice(start, start + limit);
        const next = start + limit < all.length ? String(start + limit) : "";
        return { ok: true, messages: page, has_more: next !== "", response_metadata: { next_cursor: next } };
      }
      case "conversations.history": {
        if (notMember) return { ok: false, error: "not_in_channel" };
        const top = this.channelMessages(channel)
          .filter((m) => !m.thread_ts || m.thread_ts === m.ts)
          .filter((m) => body.oldest === undefined || Number(m.ts) >= Number(body.oldest))
          .map((m) => this.withMetadata(m, body));
        return { ok: true, messages: top.reverse(), has_more: false };
      }
      case "views.publish":
      case "views.open":
      case "views.update":
        return { ok: true, view: { id: `V${this.calls.length}`, ...(body.view ?? {}) } };
      case "files.getUploadURLExternal": {
        const length = Number(body.length);
        if (!body.filename || !Number.isInteger(length) || length <= 0) {
          return { ok: false, error: "invalid_arguments" };
        }
        const fileId = `F0UP${String(this.uploads.length + 1).padStart(5, "0")}`;
        this.uploads.push({
          fileId,
          filename: String(body.filename),
          length,
          ...(body.alt_text ? { altText: String(body.alt_text) } : {}),
          completed: false,
          deleted: false,
        });
        return { ok: true, upload_url: `${this.origin}/upload/${fileId}`, file_id: fileId };
      }
      case "files.completeUploadExternal":
        return this.completeUploads(body);
      case "files.delete":
        return this.deleteFile(String(body.file));
      case "users.info": {
        const id = String(body.user ?? "");
        const u = this.userOf(id);
        if (!u) return { ok: false, error: "user_not_found" };
        return {
          ok: true,
          user: {
            id,
            name: u.displayName,
            real_name: u.realName ?? u.displayName,
            ...(u.tz ? { tz: u.tz } : {}),
            profile: { display_name: u.displayName, real_name: u.realName ?? u.displayName },
          },
        };
      }
      case "bots.info": {
        const id = String(body.bot ?? "");
        return /^B[A-Z0-9]+$/.test(id)
          ? { ok: true, bot: { id, name: this.bots.get(id) ?? `bot ${id}`, deleted: false } }
          : { ok: false, error: "bot_not_found" };
      }
      case "conversations.info": {
        const kind = this.kindOf(channel);
        if (kind !== "public" && notMember) return { ok: false, error: "channel_not_found" };
        return {
          ok: true,
          channel: {
            id: channel,
            is_channel: kind === "public" || kind === "private",
            is_group: false,
            is_im: kind === "im",
            is_mpim: kind === "mpim",
            is_private: kind !== "public",
          },
        };
      }
      case "conversations.members": {
        if (this.kindOf(channel) !== "public" && notMember) return { ok: false, error: "channel_not_found" };
        const all = this.membersOf(channel);
        const start = Number(body.cursor ?? 0) || 0;
        // Slack may return fewer than asked: pages of at most 200 here, so paging is always exercised.
        const limit = Math.min(200, Math.max(1, Number(body.limit ?? 100)));
        const next = start + limit < all.length ? String(start + limit) : "";
        return {
          ok: true,
          members: all.slice(start, start + limit),
          response_metadata: { next_cursor: next },
        };
      }
      case "files.info": {
        const f = this.files.get(String(body.file));
        return f ? { ok: true, file: this.fileObject(f) } : { ok: false, error: "file_not_found" };
      }
      case "apps.connections.open":
        return {
          ok: true,
          url: `${this.origin.replace(/^http/, "ws")}/socket?ticket=${this.connections + 1}`,
        };
      default:
        return { ok: false, error: "unknown_method" };
    }
  }

  // ---- Socket Mode ---------------------------------------------------------------------------

  private onSocket(ws: WebSocket): void {
    this.connections += 1;
    this.sockets.add(ws);
    ws.on("close", () => this.sockets.delete(ws));
    ws.on("message", (data) => {
      let msg: Ack;
      try {
        msg = JSON.parse(String(data));
      } catch {
        return;
      }
      if (typeof msg.envelope_id !== "string") return;
      if (this.cutOnAck.delete(msg.envelope_id)) {
        // The ack is lost with the connection: Slack will deliver the envelope again.
        ws.terminate();
        return;
      }
      this.unacked.delete(msg.envelope_id);
      this.acks.push(msg);
      this.ackWaiters.get(msg.envelope_id)?.(msg);
      this.ackWaiters.delete(msg.envelope_id);
    });
    ws.send(
      JSON.stringify({
        type: "hello",
        num_connections: this.sockets.size,
        debug_info: { host: "fake", approximate_connection_time: 3600 },
        connection_info: { app_id: "AFAKE" },
      }),
    );
  }

  get openSockets(): number {
    return [...this.sockets].filter((s) => s.readyState === s.OPEN).length;
  }

  waitForSocket(count = 1, timeoutMs?: number): Promise<number> {
    return this.waitFor(
      () => (this.openSockets >= count ? this.openSockets : undefined),
      timeoutMs,
      "a socket",
    );
  }

  /**
   * Sends an envelope to the connected client and resolves with its ack. `events_api` payloads are
   * the Events API body; `slash_commands` and `interactive` ones are the command / interaction payload.
   */
  sendEnvelope(
    type: "events_api" | "slash_commands" | "interactive",
    payload: unknown,
    opts: {
      retryAttempt?: number;
      envelopeId?: string;
      timeoutMs?: number;
      /**
       * `mid-frame`: the connection is cut halfway through the envelope's frame (the client never
       * gets it); `on-ack`: the client gets it, and the connection dies with its ack. Either way the
       * envelope stays unacked, for redeliverUnacked(), and the promise rejects.
       */
      cut?: "mid-frame" | "on-ack";
    } = {},
  ): Promise<Ack> {
    const ws = [...this.sockets].find((s) => s.readyState === s.OPEN);
    if (!ws) return Promise.reject(new Error("fake Slack: no Socket Mode client connected"));
    this.envelopeCounter += 1;
    const envelope_id = opts.envelopeId ?? `env-${this.envelopeCounter}`;
    const retryAttempt = opts.retryAttempt ?? 0;
    this.unacked.set(envelope_id, { type, payload, retryAttempt });
    const acked = new Promise<Ack>((resolve, reject) => {
      const timer = setTimeout(
        () => {
          this.ackWaiters.delete(envelope_id);
          reject(new Error(`fake Slack: envelope ${envelope_id} was not acked`));
        },
        opts.cut ? 0 : (opts.timeoutMs ?? 10_000),
      );
      this.ackWaiters.set(envelope_id, (ack) => {
        clearTimeout(timer);
        resolve(ack);
      });
    });
    const frame = JSON.stringify({
      envelope_id,
      type,
      payload,
      accepts_response_payload: type !== "events_api",
      ...(type === "events_api"
        ? { retry_attempt: retryAttempt, retry_reason: retryAttempt ? "timeout" : "" }
        : {}),
    });
    if (opts.cut === "mid-frame") {
      cutMidFrame(ws, frame);
      return acked;
    }
    if (opts.cut === "on-ack") this.cutOnAck.add(envelope_id);
    ws.send(frame);
    return acked;
  }

  /**
   * What Slack does after a connection died with envelopes unacked: sends each again on an open
   * connection, retry_attempt + 1, under a new envelope id. Resolves with the acks.
   */
  async redeliverUnacked(): Promise<Ack[]> {
    // A client on a busy machine may have reconnected once more meanwhile: wait for it, as Slack does.
    await this.waitForSocket();
    const pending = [...this.unacked.entries()];
    this.unacked.clear();
    return Promise.all(
      pending.map(([, e]) => this.sendEnvelope(e.type, e.payload, { retryAttempt: e.retryAttempt + 1 })),
    );
  }

  /** Any text frame to every connected client (malformed envelopes, unknown types). */
  sendRaw(text: string): void {
    for (const ws of this.sockets) ws.send(text);
  }

  /** Slack's "please reconnect" message. */
  sendDisconnect(reason = "refresh_requested"): void {
    for (const ws of this.sockets) ws.send(JSON.stringify({ type: "disconnect", reason }));
  }

  /** Cuts every Socket Mode connection without a close handshake. */
  dropSockets(): void {
    for (const ws of this.sockets) ws.terminate();
  }
}

/** The methods whose payloads Slack renders as mrkdwn. */
const RENDERED_METHODS = new Set([
  "chat.postMessage",
  "chat.update",
  "chat.postEphemeral",
  "chat.scheduleMessage",
  "views.open",
  "views.publish",
  "views.update",
  "views.push",
  "files.completeUploadExternal",
]);

let hosts: Set<string> | undefined;
/** Hosts the bot links to: the knowledge base's references, and this fake's permalinks. */
function referenceHosts(): Set<string> {
  hosts ??= new Set([
    "fake.slack.com",
    ...loadKnowledgeBase().entries.flatMap((e) => e.references.map((r) => new URL(r.url).hostname)),
  ]);
  return hosts;
}

/** Writes the first half of a server→client text frame for `text` onto the raw socket, then cuts it. */
function cutMidFrame(ws: WebSocket, text: string): void {
  const payload = Buffer.from(text, "utf8");
  const len = payload.byteLength;
  const header =
    len < 126
      ? Buffer.from([0x81, len])
      : len < 65536
        ? Buffer.from([0x81, 126, len >> 8, len & 0xff])
        : Buffer.concat([Buffer.from([0x81, 127]), bigLength(len)]);
  // biome-ignore lint/suspicious/noExplicitAny: ws keeps its net.Socket in a private field
  const raw = (ws as any)._socket as Socket;
  raw.write(Buffer.concat([header, payload.subarray(0, Math.floor(len / 2))]), () => raw.destroy());
}

function bigLength(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
}
