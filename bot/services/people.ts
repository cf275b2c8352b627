// People named the way Slack shows them, without mentioning them: a mention (`<@U…>`) in a message
// the bot posts notifies that person, so the bot writes display names instead (users.info, cached;
// bots.info for integrations). A name that cannot be looked up falls back to the id, escaped.
import type { Logger, webApi } from "@slack/bolt";
import { TtlCache } from "./ttl-cache.js";

/** Display names by user (or bot) id, as plain text: render them with escapeMrkdwn. */
export type PeopleNames = ReadonlyMap<string, string>;

export interface Person {
  name: string;
  /** The person's IANA time zone, when Slack knows it (a default for settings). */
  tz?: string;
}

export interface PeopleOptions {
  logger: Logger;
  /** How long a name is kept. Default an hour. */
  ttlMs?: number;
  /** How long a failed lookup is remembered (no retry storm). Default five minutes. */
  missTtlMs?: number;
  now?: () => number;
}

interface UserInfo {
  user?: {
    name?: string;
    real_name?: string;
    tz?: string;
    profile?: { display_name?: string; real_name?: string };
  };
}

const looksLikeUser = (id: string) => /^[UW][A-Z0-9]{2,}$/.test(id);
const looksLikeBot = (id: string) => /^B[A-Z0-9]{2,}$/.test(id);

export class People {
  private readonly cache: TtlCache<Person | null>;
  private readonly missTtlMs: number;
  private warned = false;

  constructor(private readonly opts: PeopleOptions) {
    this.cache = new TtlCache(opts.ttlMs ?? 60 * 60 * 1000, opts.now);
    this.missTtlMs = opts.missTtlMs ?? 5 * 60 * 1000;
  }

  /** The person (or integration) behind an id; null when Slack does not say. */
  person(client: webApi.WebClient, id: string): Promise<Person | null> {
    if (!looksLikeUser(id) && !looksLikeBot(id)) return Promise.resolve(null);
    return this.cache.get(
      id,
      () => this.lookUp(client, id),
      (p) => (p === null ? this.missTtlMs : (this.opts.ttlMs ?? 60 * 60 * 1000)),
    );
  }

  /** Display names of `ids` (the ones Slack knows), looked up at once. */
  async names(client: webApi.WebClient, ids: Iterable<string | null | undefined>): Promise<PeopleNames> {
    const unique = [...new Set([...ids].filter((id): id is string => typeof id === "string" && id !== ""))];
    const found = await Promise.all(unique.map(async (id) => [id, await this.person(client, id)] as const));
    return new Map(found.filter((f): f is [string, Person] => f[1] !== null).map(([id, p]) => [id, p.name]));
  }

  private async lookUp(client: webApi.WebClient, id: string): Promise<Person | null> {
    try {
      if (looksLikeBot(id)) {
        const r = (await client.bots.info({ bot: id })) as { bot?: { name?: string } };
        return r.bot?.name ? { name: r.bot.name } : null;
      }
      const { user } = (await client.users.info({ user: id })) as UserInfo;
      const name =
        user?.profile?.display_name || user?.profile?.real_name || user?.real_name || user?.name || "";
      return name ? { name, ...(user?.tz ? { tz: user.tz } : {}) } : null;
    } catch (err) {
      const code = (err as { data?: { error?: string } }).data?.error;
      if (code === "missing_scope" && !this.warned) {
        this.warned = true;
        this.opts.logger.warn(
          "users.info needs the users:read scope: people are shown by id until it is granted",
        );
      } else {
        this.opts.logger.debug(`could not look up ${id}: ${code ?? (err as Error).message}`);
      }
      return null;
    }
  }
}
