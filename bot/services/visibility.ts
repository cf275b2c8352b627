// The Web API side of incident visibility (the rule itself is incidents/visibility.ts): what kind
// of conversation a channel is (conversations.info) and who is in it (conversations.members), both
// cached for a short while, so a handoff of many incidents costs a few calls per channel at most.
// Anything Slack will not say counts as unknown, and unknown hides an incident that is not public.
import type { Logger, webApi } from "@slack/bolt";
import {
  type Audience,
  type ConversationKind,
  type Incident,
  isPublic,
  kindOfChannelId,
  kindOfConversation,
  mayPostTo,
  mayView,
} from "../../incidents/index.js";
import { TtlCache } from "./ttl-cache.js";

/** Channels bigger than this are not read member by member: they count as unknown. */
export const MAX_MEMBERS = 20_000;

export interface VisibilityOptions {
  logger: Logger;
  /** How long a conversation's kind is kept. Default ten minutes. */
  kindTtlMs?: number;
  /** How long its members are kept (someone who leaves stops seeing it after this). Default two minutes. */
  membersTtlMs?: number;
  now?: () => number;
}

type Where = Pick<Incident, "channel" | "conversationKind">;

export class Visibility {
  private readonly kinds: TtlCache<ConversationKind | null>;
  private readonly members: TtlCache<ReadonlySet<string> | null>;

  constructor(private readonly opts: VisibilityOptions) {
    this.kinds = new TtlCache(opts.kindTtlMs ?? 10 * 60 * 1000, opts.now);
    this.members = new TtlCache(opts.membersTtlMs ?? 2 * 60 * 1000, opts.now);
  }

  /** The conversation's kind as Slack says it now; null when it will not say. */
  kindOf(client: webApi.WebClient, channel: string): Promise<ConversationKind | null> {
    return this.kinds.get(channel, async () => {
      try {
        const r = (await client.conversations.info({ channel })) as {
          channel?: Parameters<typeof kindOfConversation>[0];
        };
        return r.channel ? kindOfConversation(r.channel) : null;
      } catch (err) {
        this.opts.logger.debug(`conversations.info ${channel}: ${describe(err)}`);
        return null;
      }
    });
  }

  /** Everyone in the conversation (the bot included); null when Slack will not say. */
  membersOf(client: webApi.WebClient, channel: string): Promise<ReadonlySet<string> | null> {
    return this.members.get(channel, async () => {
      const out = new Set<string>();
      let cursor: string | undefined;
      try {
        do {
          const page = await client.conversations.members({ channel, limit: 1000, cursor });
          for (const m of page.members ?? []) out.add(m);
          cursor = page.response_metadata?.next_cursor || undefined;
          if (out.size > MAX_MEMBERS) return null;
        } while (cursor);
        return out;
      } catch (err) {
        this.opts.logger.debug(`conversations.members ${channel}: ${describe(err)}`);
        return null;
      }
    });
  }

  /**
   * Who can read `channel`: its kind as Slack says it now (a channel made private since counts as
   * private), else as recorded, else as its id says; and its members unless it is public.
   */
  async audience(
    client: webApi.WebClient,
    channel: string,
    recorded: ConversationKind | null = null,
  ): Promise<Audience> {
    const kind = (await this.kindOf(client, channel)) ?? recorded ?? kindOfChannelId(channel);
    if (isPublic(kind)) return { kind, members: null };
    return { kind, members: await this.membersOf(client, channel) };
  }

  /** One audience per channel of `incidents`. */
  private async audiences(client: webApi.WebClient, incidents: Where[]): Promise<Map<string, Audience>> {
    const recorded = new Map<string, ConversationKind | null>();
    for (const i of incidents) if (!recorded.get(i.channel)) recorded.set(i.channel, i.conversationKind);
    const entries = await Promise.all(
      [...recorded].map(
        async ([channel, kind]) => [channel, await this.audience(client, channel, kind)] as const,
      ),
    );
    return new Map(entries);
  }

  /** The incidents `viewer` may see. */
  async visibleTo<T extends Where>(client: webApi.WebClient, incidents: T[], viewer: string): Promise<T[]> {
    const byChannel = await this.audiences(client, incidents);
    return incidents.filter((i) => {
      const a = byChannel.get(i.channel);
      return a !== undefined && mayView(a, viewer);
    });
  }

  /** The incidents every member of `channel` may see (what may be posted there). */
  async postableIn<T extends Where>(client: webApi.WebClient, incidents: T[], channel: string): Promise<T[]> {
    const target = await this.audience(client, channel);
    const byChannel = await this.audiences(client, incidents);
    return incidents.filter((i) => {
      const a = byChannel.get(i.channel);
      return a !== undefined && mayPostTo(a, target);
    });
  }

  /** Whether `viewer` may see this one incident. */
  async mayView(client: webApi.WebClient, incident: Where, viewer: string): Promise<boolean> {
    return (await this.visibleTo(client, [incident], viewer)).length === 1;
  }
}

function describe(err: unknown): string {
  return (err as { data?: { error?: string } }).data?.error ?? (err as Error).message;
}
