// Posts each team's handoff in its channel at shift change: at the team's time in its time zone
// (incidents/shift-change.ts), once per local day. The day is claimed in the store before posting
// (so a restart, or a second tick, never posts it twice) and given back if the post fails (so the
// next tick tries again); a crash between the two costs that day's post rather than doubling it.
import type { Logger, webApi } from "@slack/bolt";
import { dueShiftChange, type IncidentStore } from "../../incidents/index.js";
import { renderHandoff, SHIFT_CHANGE } from "../render/handoff.js";
import { handoffView } from "./handoff-view.js";
import type { People } from "./people.js";
import type { Visibility } from "./visibility.js";

/** A shift's handoff covers the day before it. */
export const SHIFT_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface ShiftChangeDeps {
  store: IncidentStore;
  people: People;
  visibility: Visibility;
  logger: Logger;
  client: webApi.WebClient;
  now: () => number;
}

export class ShiftChangePoster {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<string[]> | undefined;

  constructor(private readonly deps: ShiftChangeDeps) {}

  /** Looks every `everyMs` (a minute by default) for a team whose shift change is due. */
  start(everyMs = 60_000): void {
    this.stop();
    this.timer = setInterval(() => {
      void this.tick().catch((err: Error) => this.deps.logger.error(`shift change: ${err.message}`));
    }, everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Posts every handoff due now; resolves with the teams posted. One tick at a time. */
  tick(): Promise<string[]> {
    this.running ??= this.postDue().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async postDue(): Promise<string[]> {
    const nowMs = this.deps.now();
    const settings = await this.deps.store.getSettings();
    const posted: string[] = [];
    for (const [team, t] of Object.entries(settings.teams)) {
      const date = dueShiftChange(t, nowMs);
      if (date === null || !t.handoffChannel) continue;
      const claimed = await this.claim(team, date, nowMs);
      if (!claimed.won) continue;
      try {
        await this.post(team, t.handoffChannel, nowMs);
        posted.push(team);
        this.deps.logger.info(`posted team ${team}'s handoff for ${date}`);
      } catch (err) {
        this.deps.logger.warn(`could not post team ${team}'s handoff: ${(err as Error).message}`);
        await this.release(team, date, claimed.before);
      }
    }
    return posted;
  }

  /**
   * Marks `date` posted for `team` unless it already is (or is no longer due): `won` when this tick
   * owns the post, with the date it replaced (given back if the post fails).
   */
  private async claim(
    team: string,
    date: string,
    nowMs: number,
  ): Promise<{ won: boolean; before: string | null }> {
    let won = false;
    let before: string | null = null;
    await this.deps.store.updateSettings((s) => {
      const t = s.teams[team];
      won = t !== undefined && dueShiftChange(t, nowMs) === date;
      if (t && won) {
        before = t.lastPostedOn;
        t.lastPostedOn = date;
      }
      return s;
    });
    return { won, before };
  }

  private async release(team: string, date: string, before: string | null): Promise<void> {
    await this.deps.store
      .updateSettings((s) => {
        const t = s.teams[team];
        if (t?.lastPostedOn === date) t.lastPostedOn = before;
        return s;
      })
      .catch((err: Error) => this.deps.logger.warn(`shift change: ${err.message}`));
  }

  private async post(team: string, channel: string, nowMs: number): Promise<void> {
    const { client } = this.deps;
    const { handoff, names } = await handoffView(this.deps, client, {
      sinceMs: nowMs - SHIFT_WINDOW_MS,
      team,
      postIn: channel,
    });
    await client.chat.postMessage({
      channel,
      ...renderHandoff(handoff, { sharedBy: SHIFT_CHANGE, team, names }),
      unfurl_links: false,
      unfurl_media: false,
    });
  }
}
