// Who may see an incident: whoever can read the conversation it happened in. A public channel's
// incident is the workspace's; a private channel's, a DM's or a group DM's belongs to its members.
// Pure: the bot looks kinds and members up through Slack's Web API (bot/services/visibility.ts); the
// CLI has no Slack identity, so it lists public incidents only unless told otherwise.
import { z } from "zod";

/** The kind of conversation an incident happened in, recorded with it. */
export const ConversationKind = z.enum(["public", "private", "im", "mpim"]);
export type ConversationKind = z.infer<typeof ConversationKind>;

/** Who can read a conversation: its kind and, for anything but a public channel, its members. */
export interface Audience {
  /** null: unknown (not recorded, and Slack could not be asked). */
  kind: ConversationKind | null;
  /** The members when known (the bot's user included); null when they could not be read. */
  members: ReadonlySet<string> | null;
}

/** A message event's `channel_type` as a kind (`channel` is public, `group` a private channel). */
export function kindOfChannelType(channelType: string | undefined): ConversationKind | null {
  switch (channelType) {
    case "channel":
      return "public";
    case "group":
      return "private";
    case "im":
      return "im";
    case "mpim":
      return "mpim";
    default:
      return null;
  }
}

/** conversations.info's flags as a kind. */
export function kindOfConversation(c: {
  is_im?: boolean;
  is_mpim?: boolean;
  is_private?: boolean;
  is_group?: boolean;
}): ConversationKind {
  if (c.is_im) return "im";
  if (c.is_mpim) return "mpim";
  if (c.is_private || c.is_group) return "private";
  return "public";
}

/**
 * What a channel id alone says: `D…` is a direct message. `C…` and `G…` can be anything else
 * (private channels have had `C…` ids for years), so they are unknown until Slack is asked.
 */
export function kindOfChannelId(channel: string): ConversationKind | null {
  return /^D[A-Z0-9]+$/.test(channel) ? "im" : null;
}

/** A public channel's incident is the workspace's; any other needs its members to be known. */
export function isPublic(kind: ConversationKind | null): boolean {
  return kind === "public";
}

/**
 * May `viewer` see an incident whose conversation has this audience? Public: anyone in the
 * workspace. Otherwise only its members; unknown kind or members: nobody (it fails closed).
 */
export function mayView(incident: Audience, viewer: string): boolean {
  if (isPublic(incident.kind)) return true;
  if (incident.kind === null || incident.members === null) return false;
  return incident.members.has(viewer);
}

/**
 * May the incident be posted into the conversation `target`? Only when everyone who can read the
 * target may see it: a public incident anywhere; any other only into a conversation that is not
 * public (anyone can join a public channel and read back) whose members are all members of the
 * incident's conversation. Unknown on either side: no.
 */
export function mayPostTo(incident: Audience, target: Audience): boolean {
  if (isPublic(incident.kind)) return true;
  if (incident.kind === null || incident.members === null) return false;
  if (target.kind === null || isPublic(target.kind) || target.members === null) return false;
  for (const member of target.members) if (!incident.members.has(member)) return false;
  return true;
}
