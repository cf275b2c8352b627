// Big texts are parsed and diagnosed off the main thread, in worker threads, so that one user's 24 MB
// upload never stalls the events of everyone else. The narrow interface: a session per paste,
// `parse(text, source)` (each text parsed once, in a worker, where its inputs stay: sending tens of
// thousands of records back would cost the main thread as much as parsing them), then `diagnose`
// of the thread's texts, which runs in the same worker and sends back only the diagnosis.
// The module is also the workers' entry point (see the end of the file), as ingest/workers.ts is.
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import type { ChartInput } from "../../charts/series.js";
import type { TimedInput } from "../../kb/derive.js";
import type { Diagnosis } from "../../kb/diagnosis.js";
import type { ChartFile } from "./chart-upload.js";

const WORKER_FLAG = "tattletale-parse-worker";
/** Characters of a text sent to a worker in one message. */
const SLICE_CHARS = 256 * 1024;

/** One item of a diagnosis: a text parsed in the worker (by id), or an input parsed elsewhere. */
export type DiagnoseItem = { textId: number; source: string; at?: number } | { input: TimedInput };

type ToWorker =
  /** A slice of the text of the parse `req` that follows (big texts are sent a slice at a time). */
  | { type: "part"; req: number; text: string }
  | { type: "parse"; req: number; session: number; textId: number; text: string; source: string }
  | { type: "diagnose"; req: number; session: number; items: DiagnoseItem[] }
  | { type: "chart"; req: number; input: ChartInput }
  | { type: "end"; session: number };

type FromWorker =
  | { type: "parsed"; req: number; inputs: number }
  | { type: "diagnosis"; req: number; diagnosis: Diagnosis }
  | { type: "chart"; req: number; chart: ChartFile }
  | { type: "error"; req: number; message: string };

/** The compiled module for workers; under a TypeScript runner, the build in dist/ if there is one. */
function workerUrl(): URL | null {
  const here = import.meta.url;
  if (here.endsWith(".js")) return new URL(here);
  const built = new URL("../../dist/bot/services/parse-worker.js", here);
  return existsSync(fileURLToPath(built)) ? built : null;
}

/** Default pool size: the cores but one (the main thread's), at least one, at most two. */
export function defaultParseWorkers(): number {
  return Math.max(1, Math.min(2, availableParallelism() - 1));
}

class WorkerSlot {
  worker: Worker | null = null;
  readonly pending = new Map<number, { resolve: (m: FromWorker) => void; reject: (e: Error) => void }>();
  /** Sessions pinned here (their parsed texts live in this worker). */
  sessions = 0;

  constructor(private readonly url: URL) {}

  private start(): Worker {
    // No inherited flags: a worker refuses --input-type and heap flags of a parent run with -e.
    const w = new Worker(this.url, { workerData: { [WORKER_FLAG]: true }, execArgv: [] });
    w.unref();
    w.on("message", (m: FromWorker) => {
      const p = this.pending.get(m.req);
      if (!p) return;
      this.pending.delete(m.req);
      if (m.type === "error") p.reject(new Error(m.message));
      else p.resolve(m);
    });
    const fail = (error: Error) => {
      if (this.worker === w) this.worker = null;
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
    };
    w.on("error", fail);
    w.on("exit", (code) => fail(new Error(`the parse worker stopped (exit code ${code})`)));
    return w;
  }

  request(message: ToWorker & { req: number }): Promise<FromWorker> {
    this.worker ??= this.start();
    const w = this.worker;
    return new Promise((resolve, reject) => {
      this.pending.set(message.req, { resolve, reject });
      w.postMessage(message);
    });
  }

  post(message: ToWorker): void {
    this.worker?.postMessage(message);
  }

  /** Starts the worker if needed, and posts without waiting for an answer. */
  send(message: ToWorker): void {
    this.worker ??= this.start();
    this.worker.postMessage(message);
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    await w?.terminate();
  }
}

/** Texts parsed and diagnosed off the main thread; counts what it did, for tests and logs. */
export class ParseWorkers {
  private readonly slots: WorkerSlot[];
  private nextReq = 1;
  private nextSession = 1;
  /** Texts parsed in a worker since start. */
  parsedTexts = 0;

  constructor(size = defaultParseWorkers()) {
    const url = workerUrl();
    this.slots = url ? Array.from({ length: Math.max(1, size) }, () => new WorkerSlot(url)) : [];
  }

  /** False when there is no compiled worker module (a TypeScript run without a build). */
  get available(): boolean {
    return this.slots.length > 0;
  }

  /** A session pinned to the least busy worker; end it to free what it parsed. */
  session(): WorkerSession {
    const slot = this.slots.reduce((a, b) => (b.sessions < a.sessions ? b : a));
    slot.sessions++;
    const id = this.nextSession++;
    let textIds = 0;
    let ended = false;
    return {
      parse: async (parts, source) => {
        const textId = ++textIds;
        const req = this.nextReq++;
        // A piece per message, the event loop running in between: copying a 24 MB text into the
        // worker at once would hold the main thread for as long as that copy takes.
        const pieces = parts.flatMap((p) =>
          p.length <= SLICE_CHARS
            ? [p]
            : Array.from({ length: Math.ceil(p.length / SLICE_CHARS) }, (_, k) =>
                p.slice(k * SLICE_CHARS, (k + 1) * SLICE_CHARS),
              ),
        );
        for (const piece of pieces.slice(0, -1)) {
          slot.send({ type: "part", req, text: piece });
          await new Promise((resolve) => setImmediate(resolve));
        }
        const m = await slot.request({
          type: "parse",
          req,
          session: id,
          textId,
          text: pieces.at(-1) ?? "",
          source,
        });
        this.parsedTexts++;
        return { textId, inputs: m.type === "parsed" ? m.inputs : 0 };
      },
      diagnose: async (items) => {
        const req = this.nextReq++;
        const m = await slot.request({ type: "diagnose", req, session: id, items });
        if (m.type !== "diagnosis") throw new Error("the parse worker answered something else");
        return m.diagnosis;
      },
      end: () => {
        if (ended) return;
        ended = true;
        slot.sessions--;
        slot.post({ type: "end", session: id });
      },
    };
  }

  /** Renders a chart in the least busy worker (a chart takes a few hundred ms of CPU). */
  async renderChart(input: ChartInput): Promise<ChartFile> {
    const slot = this.slots.reduce((a, b) => (b.sessions < a.sessions ? b : a));
    const m = await slot.request({ type: "chart", req: this.nextReq++, input });
    if (m.type !== "chart") throw new Error("the parse worker answered something else");
    return m.chart;
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.close()));
  }
}

export interface WorkerSession {
  /**
   * Parses a text, given as its pieces in order, in the worker, where its inputs stay; resolves
   * with its id and how many inputs it gave.
   */
  parse(parts: string[], source: string): Promise<{ textId: number; inputs: number }>;
  /** Diagnoses the items, in order, with the bundled knowledge base, in the worker. */
  diagnose(items: DiagnoseItem[]): Promise<Diagnosis>;
  end(): void;
}

/** `source`, `source#2`… of a text parsed first as `from`, renamed as if parsed as `to`. */
export function renameInputs(inputs: TimedInput[], from: string, to: string, at?: number): TimedInput[] {
  return inputs.map(({ input }) => ({
    input: { ...input, source: to + input.source.slice(from.length) },
    at,
  }));
}

// ---- the worker ----------------------------------------------------------------------------------

if (!isMainThread && parentPort && (workerData as Record<string, unknown> | null)?.[WORKER_FLAG]) {
  const port = parentPort;
  const { diagnose, loadKnowledgeBase, parseTexts } = await import("../../kb/index.js");
  const { renderChartFile } = await import("./reply-chart.js");
  const kb = loadKnowledgeBase();
  /** session → textId → what its text gave, under the name it was parsed with. */
  const parsed = new Map<number, Map<number, { source: string; inputs: TimedInput[] }>>();
  /** Slices of texts still arriving, by request. */
  const parts = new Map<number, string[]>();
  port.on("message", (m: ToWorker) => {
    try {
      if (m.type === "end") {
        parsed.delete(m.session);
        return;
      }
      if (m.type === "part") {
        const list = parts.get(m.req) ?? [];
        list.push(m.text);
        parts.set(m.req, list);
        return;
      }
      if (m.type === "parse") {
        const text = [...(parts.get(m.req) ?? []), m.text].join("");
        parts.delete(m.req);
        const inputs = parseTexts([{ text, source: m.source }]);
        // The bot reads HTTPERR logs by their summary: the records themselves are not needed.
        for (const t of inputs) if (t.input.kind === "httperr") t.input.data.records = [];
        const texts = parsed.get(m.session) ?? new Map();
        texts.set(m.textId, { source: m.source, inputs });
        parsed.set(m.session, texts);
        port.postMessage({ type: "parsed", req: m.req, inputs: inputs.length } satisfies FromWorker);
        return;
      }
      if (m.type === "chart") {
        // The chart code (Vega, resvg) loads on the first chart only.
        void renderChartFile(m.input).then(
          (chart) => port.postMessage({ type: "chart", req: m.req, chart } satisfies FromWorker),
          (error: Error) =>
            port.postMessage({ type: "error", req: m.req, message: error.message } satisfies FromWorker),
        );
        return;
      }
      const texts = parsed.get(m.session);
      const all = m.items.flatMap((item) => {
        if ("input" in item) return [item.input];
        const got = texts?.get(item.textId);
        if (!got) throw new Error(`text ${item.textId} was not parsed in this session`);
        return renameInputs(got.inputs, got.source, item.source, item.at);
      });
      port.postMessage({ type: "diagnosis", req: m.req, diagnosis: diagnose(kb, all) } satisfies FromWorker);
    } catch (error) {
      if (m.type !== "end")
        port.postMessage({
          type: "error",
          req: m.req,
          message: (error as Error).message,
        } satisfies FromWorker);
    }
  });
}
