// Records a diagnosed thread as its incident (who pasted, the inputs with their sizes, the
// findings, the permalink), and reads the incident back for the reply's status line and buttons.
// The store failing never costs the answer: it is logged.
import type { Logger, webApi } from "@slack/bolt";
import { type IncidentStore, incidentId, recordDiagnosis } from "../../incidents/index.js";
import type { Diagnosis } from "../../kb/index.js";
import type { Config } from "../config.js";
import { stateAfterPaste, threadIncidentBlocks } from "../render/incident-actions.js";
import type { Block } from "../render/limits.js";
import type { Gathered } from "./thread-reader.js";

export interface RecorderDeps {
  config: Config;
  /** Absent when the incident file could not be opened: nothing is recorded. */
  store?: IncidentStore;
  logger: Logger;
}

/** Who pasted where: the fields of a paste an incident keeps. */
export interface PasteOrigin {
  workspace: string;
  channel: string;
  user: string;
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
      let permalink = (await store.get(id))?.permalink ?? undefined;
      if (!permalink) {
        permalink = await client.chat
          .getPermalink({ channel: paste.channel, message_ts: threadTs })
          .then((r) => r.permalink)
          .catch(() => undefined);
      }
      await recordDiagnosis(store, {
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
        ...(config.keepRawText ? { rawText: gathered.texts.map((t) => t.text).join("\n\n") } : {}),
      });
    } catch (err) {
      // The store failing must not cost the answer: it is logged, the reply already went out.
      logger.error(`could not record the incident: ${(err as Error).message}`);
    }
  }

  /** The status line and buttons of the thread's incident, as it will be once this paste is recorded. */
  async incidentBlocks(id: string): Promise<Block[] | undefined> {
    const { store, logger } = this.deps;
    if (!store) return undefined;
    const current = await store.get(id).catch((err: Error) => {
      logger.warn(`could not read incident ${id}: ${err.message}`);
      return undefined;
    });
    return threadIncidentBlocks(stateAfterPaste(current, id));
  }
}
