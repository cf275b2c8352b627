// The visibility rule: who may see an incident, and what may be posted where. Unknown never shows.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type Audience,
  type ConversationKind,
  kindOfChannelId,
  kindOfChannelType,
  kindOfConversation,
  mayPostTo,
  mayView,
} from "../../incidents/index.js";

const members = (...ids: string[]) => new Set(ids);
const pub: Audience = { kind: "public", members: null };
const dm: Audience = { kind: "im", members: members("UANN", "UBOT") };
const secret: Audience = { kind: "private", members: members("UANN", "UBOB", "UBOT") };
const group: Audience = { kind: "mpim", members: members("UANN", "UBOB", "UCY", "UBOT") };

describe("mayView", () => {
  it("a public channel's incident is the workspace's; a DM's, a private channel's, a group DM's its members'", () => {
    expect(mayView(pub, "UANYONE")).toBe(true);
    expect(mayView(dm, "UANN")).toBe(true);
    expect(mayView(dm, "UBOB")).toBe(false);
    expect(mayView(secret, "UBOB")).toBe(true);
    expect(mayView(secret, "UCY")).toBe(false);
    expect(mayView(group, "UCY")).toBe(true);
    expect(mayView(group, "UDAN")).toBe(false);
  });

  it("fails closed: unknown kind or unknown members show nothing that is not public", () => {
    expect(mayView({ kind: null, members: members("UANN") }, "UANN")).toBe(false);
    expect(mayView({ kind: "private", members: null }, "UANN")).toBe(false);
    expect(mayView({ kind: "im", members: null }, "UANN")).toBe(false);
  });
});

describe("mayPostTo", () => {
  it("a public incident may go anywhere", () => {
    for (const target of [pub, dm, secret, group, { kind: null, members: null }])
      expect(mayPostTo(pub, target)).toBe(true);
  });

  it("any other goes only where every member may see it, and never into a public channel", () => {
    expect(mayPostTo(secret, pub)).toBe(false);
    expect(mayPostTo(dm, pub)).toBe(false);
    // Ann's DM with the bot: her own DM incidents, and the private channel she is in.
    expect(mayPostTo(dm, dm)).toBe(true);
    expect(mayPostTo(secret, dm)).toBe(true);
    // A group DM with Cy, who is not in the private channel: not there.
    expect(mayPostTo(secret, group)).toBe(false);
    expect(mayPostTo(dm, secret)).toBe(false);
    expect(mayPostTo(secret, { kind: "private", members: null })).toBe(false);
    expect(mayPostTo({ kind: null, members: null }, dm)).toBe(false);
  });

  it("whatever may be posted in a conversation, each of its members may see", () => {
    const kind = fc.constantFrom<ConversationKind | null>("public", "private", "im", "mpim", null);
    const people = fc.option(
      fc.uniqueArray(fc.constantFrom("UA", "UB", "UC", "UD", "UE"), { maxLength: 5 }),
      {
        nil: null,
      },
    );
    const audience = fc
      .record({ kind, members: people })
      .map((a): Audience => ({ kind: a.kind, members: a.members === null ? null : new Set(a.members) }));
    fc.assert(
      fc.property(audience, audience, (incident, target) => {
        if (!mayPostTo(incident, target)) return;
        for (const m of target.members ?? []) expect(mayView(incident, m)).toBe(true);
        if (target.kind === "public" || target.members === null) expect(incident.kind).toBe("public");
      }),
    );
  });
});

describe("conversation kinds", () => {
  it("from an event's channel_type, conversations.info's flags, or a channel id", () => {
    expect(["channel", "group", "im", "mpim", undefined, "app_home"].map(kindOfChannelType)).toEqual([
      "public",
      "private",
      "im",
      "mpim",
      null,
      null,
    ]);
    expect(kindOfConversation({ is_im: true })).toBe("im");
    expect(kindOfConversation({ is_mpim: true, is_private: true })).toBe("mpim");
    expect(kindOfConversation({ is_private: true })).toBe("private");
    expect(kindOfConversation({ is_group: true })).toBe("private");
    expect(kindOfConversation({})).toBe("public");
    expect(kindOfChannelId("D0123ABC")).toBe("im");
    // Private channels have had C… ids for years: an id alone does not make a channel public.
    expect(kindOfChannelId("C0123ABC")).toBeNull();
    expect(kindOfChannelId("G0123ABC")).toBeNull();
  });
});
