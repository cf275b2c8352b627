// Records a diagnosed thread as its incident (who pasted, the inputs with their sizes, the
// findings, the permalink) together with the reply that announces it: one atomic write that also
// completes the paste task, so that a paste is either still to do, or recorded with its reply to
// post. When the store cannot write, the reply is still sent (from memory) and says that the
// incident could not be saved.
import type { Logger, webApi } from "@slack/bolt";
import {
  type IncidentStore,
  incidentId,
  LeaseLostError,
  MAX_RAW_TEXT,
  type NewTask,
  recordDiagnosis,
  StoreWriteError,
} from "../../incidents/index.js";
import type { Diagnosis } from "../../kb/index.js";
import type { Config } from "../config.js";
import type { Outbox, RunningTask } from "../outbox.js";
import { renderDiagnosis } from "../render/diagnosis.js";
import { threadIncidentBlocks } from "../render/incident-actions.js";
import type { TextPiece } from "./parse-once.js";
import { REPLY_TASK, type ReplyPayload } from "./reply-publisher.js";
import type { Gathered } from "./thread-reader.js";

export interface RecorderDeps {
  config: Config;
  /** Absent when the incident file could not be opened: nothing is recorded. */
  store?: IncidentStore;
  logger: Logger;
  outbox: Outbox;
  client: webApi.WebClient;
}

/** Who pasted where: the fields of a paste an incident keeps. */
export interface PasteOrigin {
  workspace: string;
  channel: string;
  user: string;
}

/**
 * The pasted texts, one after the other, as far as the store keeps them (MAX_RAW_TEXT): built from
 * the pieces of big files, never by making a 50 MB thread one string on the main thread.
 */
function rawTextOf(texts: TextPiece[]): string {
  const out: string[] = [];
  let length = 0;
  for (const t of texts) {
    for (const piece of t.parts ?? [t.text]) {
      if (length > MAX_RAW_TEXT) break;
      const kept =
        piece.length > MAX_RAW_TEXT - length + 1 ? piece.slice(0, MAX_RAW_TEXT - length + 1) : piece;
      out.push(kept);
      length += kept.length;
    }
    out.push("\n\n");
    length += 2;
  }
  return out.join("").slice(0, MAX_RAW_TEXT + 1);
}

/** Said in the reply when its incident could not be saved. */
export const NOT_SAVED_NOTE =
  "⚠️ I could not save this incident (the incident store is not writable right now): it is not in the handoff, and its buttons will not work. The bot's log says why.";

export class IncidentRecorder {
  /** The workspace's address (`https://team.slack.com/`), from auth.test at start, for permalinks. */
  workspaceUrl: string | undefined;

  constructor(private readonly deps: RecorderDeps) {}

  async record(
    t: RunningTask,
    r: {
      paste: PasteOrigin;
      threadTs: string;
      diagnosis: Diagnosis;
      gathered: Pick<Gathered, "texts" | "bytesBySource" | "notes">;
      reply: Omit<ReplyPayload, "message">;
    },
  ): Promise<"done" | "completed"> {
    const { store, config, logger, outbox } = this.deps;
    const { paste, threadTs, diagnosis: d, gathered } = r;
    const id = incidentId({ workspace: paste.workspace, channel: paste.channel, threadTs });
    const replyTask = (payload: ReplyPayload): NewTask => ({
      id: `${t.task.id}:reply`,
      kind: REPLY_TASK,
      payload: JSON.parse(JSON.stringify(payload)),
    });
    if (store) {
      try {
        const known = await store.get(id);
        // Made from the workspace's address, not asked of Slack: recording never waits for the API.
        const permalink =
          known?.permalink ??
          (this.workspaceUrl
            ? `${this.workspaceUrl}archives/${paste.channel}/p${threadTs.replace(".", "")}`
            : undefined);
        await recordDiagnosis(
          store,
          {
            workspace: paste.workspace,
            channel: paste.channel,
            threadTs,
            permalink: permalink ?? null,
            user: paste.user,
            inputs: d.inputs.map((i) => ({
              ...i,
              bytes: gathered.bytesBySource.get(i.source.replace(/#\d+$/, "")) ?? 0,
            })),
            diagnosis: d,
            ...(config.keepRawText ? { rawText: rawTextOf(gathered.texts) } : {}),
          },
          {
            // The reply shows the incident as recorded: its status line and buttons.
            enqueue: (incident) => [
              replyTask({
                ...r.reply,
                incidentId: id,
                diagnoses: incident.diagnoses,
                message: renderDiagnosis(d, {
                  incidentId: id,
                  notes: gathered.notes,
                  incident: threadIncidentBlocks(incident),
                }),
              }),
            ],
            ...(t.lease ? { complete: t.lease } : {}),
          },
        );
        outbox.wake();
        return t.lease ? "completed" : "done";
      } catch (err) {
        if (err instanceof LeaseLostError || !(err instanceof StoreWriteError)) throw err;
        logger.error(`could not record incident ${id}, answering without it: ${err.message}`);
      }
    }
    outbox.runInMemory(
      replyTask({
        ...r.reply,
        message: renderDiagnosis(d, {
          incidentId: id,
          notes: [NOT_SAVED_NOTE, ...gathered.notes],
        }),
      }),
    );
    return "done";
  }
}
