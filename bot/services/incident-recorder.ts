// Records a diagnosed thread as its incident (who pasted, the inputs with their sizes, the
// findings, the permalink), and reads the incident back for the reply's status line and buttons.
// The store failing never costs the answer: it is logged.
import type { Logger, webApi } from "@slack/bolt";
import {
  type ConversationKind,
  type IncidentStore,
  incidentId,
  recordDiagnosis,
} from "../../incidents/index.js";
import type { Diagnosis } from "../../kb/index.js";
import type { Config } from "../config.js";
import { peopleOf, stateAfterPaste, threadIncidentBlocks } from "../render/incident-actions.js";
import type { Block } from "../render/limits.js";
import type { People } from "./people.js";
import type { Gathered } from "./thread-reader.js";
import { postTimeline } from "./timeline.js";
import type { Visibility } from "./visibility.js";

export interface RecorderDeps {
  config: Config;
  /** Absent when the incident file could not be opened: nothing is recorded. */
  store?: IncidentStore;
  logger: Logger;
  people: People;
  visibility: Visibility;
}

/** Who pasted where: the fields of a paste an incident keeps. */
export interface PasteOrigin {
  workspace: string;
  channel: string;
  user: string;
  /** Known from the event (channel_type); otherwise looked up with conversations.info. */
  conversationKind?: ConversationKind | null;
}

export class IncidentRecorder {
  constructor(private readonly deps: RecorderDeps) {}

  async record(
    client: webApi.WebClient,
    paste: PasteOrigin,
    threadTs: string,
    d: Diagnosis,
    gathered: Pick<Gathered, "texts" | "bytesBySource">,
  ): Promise<void> {
    const { store, config, logger } = this.deps;
    if (!store) return;
    try {
      const id = incidentId({ workspace: paste.workspace, channel: paste.channel, threadTs });
      const before = await store.get(id);
      let permalink = before?.permalink ?? undefined;
      if (!permalink) {
        permalink = await client.chat
          .getPermalink({ channel: paste.channel, message_ts: threadTs })
          .then((r) => r.permalink)
          .catch(() => undefined);
      }
      // Who may see it depends on where it happened: recorded with it (visibility.ts).
      const conversationKind =
        paste.conversationKind ?? (await this.deps.visibility.kindOf(client, paste.channel));
      const after = await recordDiagnosis(store, {
        workspace: paste.workspace,
        channel: paste.channel,
        threadTs,
        permalink: permalink ?? null,
        conversationKind,
        user: paste.user,
        inputs: d.inputs.map((i) => ({
          ...i,
          bytes: gathered.bytesBySource.get(i.source.replace(/#\d+$/, "")) ?? 0,
        })),
        diagnosis: d,
        ...(config.keepRawText ? { rawText: gathered.texts.map((t) => t.text).join("\n\n") } : {}),
      });
      if (before?.status === "resolved" && after.status !== "resolved")
        await postTimeline(client, this.deps, after, { kind: "reopened-by-paste", by: paste.user });
    } catch (err) {
      // The store failing must not cost the answer: it is logged, the reply already went out.
      logger.error(`could not record the incident: ${(err as Error).message}`);
    }
  }

  /** The status line and buttons of the thread's incident, as it will be once this paste is recorded. */
  async incidentBlocks(client: webApi.WebClient, id: string): Promise<Block[] | undefined> {
    const { store, logger } = this.deps;
    if (!store) return undefined;
    const current = await store.get(id).catch((err: Error) => {
      logger.warn(`could not read incident ${id}: ${err.message}`);
      return undefined;
    });
    const names = current ? await this.deps.people.names(client, peopleOf(current)) : undefined;
    return threadIncidentBlocks(stateAfterPaste(current, id), names);
  }

  /** Whether the thread already is an incident on file. */
  async exists(id: string): Promise<boolean> {
    return (await this.deps.store?.get(id).catch(() => undefined)) !== undefined;
  }
}
