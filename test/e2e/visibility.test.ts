// Private stays private, end to end over HTTP against the fake Slack: an incident from a DM or a
// private channel is seen (in /tattle handoff, App Home, a posted handoff) only by the people of
// that conversation, whose members the bot reads through the Web API; a handoff posted in a channel
// holds only what all its members may see, names people without mentioning them, and the CLI (no
// Slack identity) lists public incidents only.
import { afterEach, describe, expect, it } from "vitest";
import { runHandoff } from "../../cli/handoff.js";
import { Handoff } from "../../incidents/index.js";
import { type Harness, startHarness } from "../support/bot-harness.js";
import { eventCallback } from "../support/slack-requests.js";
import { type AnyBlock, button, handoffOrder, interact, press } from "./handoff-helpers.js";
import { deliver, founding, slackEscape } from "./helpers.js";
import { commandAnswer, paste, replyIn, responsesTo, timeline } from "./slack-world.js";

const PUBLIC = "CPUBLIC";
const SECRET = "CSECRET";
const ANN_DM = "DANN";
const GROUP = "GCREW";

/** Many members, so the bot reads conversations.members page by page; Bob comes last. */
const crowd = Array.from({ length: 450 }, (_, i) => `UFILL${String(i).padStart(3, "0")}`);

async function world(): Promise<Harness> {
  const h = await startHarness("http");
  h.fake.setConversation(PUBLIC, { kind: "public" });
  h.fake.setConversation(SECRET, { kind: "private", members: [...crowd, "UBOB"] });
  h.fake.setConversation(ANN_DM, { kind: "im", members: ["UANN"] });
  h.fake.setConversation(GROUP, { kind: "mpim", members: ["UANN", "UCY"] });
  h.fake.addUser("UANN", { displayName: "Ann" });
  h.fake.addUser("UBOB", { displayName: "Bob" });
  h.fake.addUser("UCY", { displayName: "Cy" });
  return h;
}

/** One incident in each kind of conversation, pasted as people would. */
async function incidents(h: Harness) {
  const pub = await paste(h, { channel: PUBLIC, user: "UCY", text: founding("httperr1.log") });
  const secret = await paste(h, { channel: SECRET, user: "UBOB", text: founding("poolmon-b.txt") });
  const dm = await paste(h, { channel: ANN_DM, user: "UANN", text: founding("httperr1.log") });
  const group = await paste(h, { channel: GROUP, user: "UCY", text: founding("poolmon-b.txt") });
  return { pub: pub.incidentId, secret: secret.incidentId, dm: dm.incidentId, group: group.incidentId };
}

function listed(blocks: AnyBlock[] | undefined): string[] {
  return handoffOrder(blocks).sort();
}

describe("who sees which incident", () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it("records the kind of conversation of each incident, from the event or conversations.info", async () => {
    h = await world();
    const ids = await incidents(h);
    expect((await h.store.get(ids.pub))?.conversationKind).toBe("public");
    expect((await h.store.get(ids.secret))?.conversationKind).toBe("private");
    expect((await h.store.get(ids.dm))?.conversationKind).toBe("im");
    expect((await h.store.get(ids.group))?.conversationKind).toBe("mpim");

    // A mention carries no channel_type: the bot asks conversations.info.
    h.fake.setConversation("CHIDDEN", { kind: "private", members: ["UBOB"] });
    const m = h.fake.addMessage("CHIDDEN", {
      user: "UBOB",
      text: `<@${h.fake.botUserId}> ${slackEscape(founding("httperr1.log"))}`,
    });
    await deliver(
      h,
      "http",
      eventCallback(
        { type: "app_mention", channel: "CHIDDEN", user: "UBOB", text: m.text, ts: m.ts, event_ts: m.ts },
        { teamId: h.fake.teamId },
      ),
    );
    const hidden = `${h.fake.teamId}:CHIDDEN:${m.ts}`;
    await h.fake.waitFor(async () => (await h.store.get(hidden)) !== undefined);
    expect((await h.store.get(hidden))?.conversationKind).toBe("private");
    expect(h.fake.callsTo("conversations.info").some((c) => c.body.channel === "CHIDDEN")).toBe(true);
  });

  it("/tattle handoff lists a DM's and a private channel's incidents only to their members", async () => {
    h = await world();
    const ids = await incidents(h);
    const stranger = await commandAnswer(h, {
      text: "handoff",
      responseId: "S",
      user: "UEVE",
      channel: PUBLIC,
    });
    expect(listed(stranger.body.blocks as AnyBlock[])).toEqual([ids.pub]);
    const json = JSON.stringify(stranger.body);
    expect(json).not.toContain(SECRET);
    expect(json).not.toContain(ANN_DM);

    const bob = await commandAnswer(h, { text: "handoff", responseId: "B", user: "UBOB", channel: SECRET });
    expect(listed(bob.body.blocks as AnyBlock[])).toEqual([ids.pub, ids.secret].sort());

    const ann = await commandAnswer(h, { text: "handoff", responseId: "A", user: "UANN", channel: PUBLIC });
    expect(listed(ann.body.blocks as AnyBlock[])).toEqual([ids.pub, ids.dm, ids.group].sort());
    // Bob is the last of 452 members: only read page by page (the fake answers 200 at a time).
    const pages = h.fake.callsTo("conversations.members").filter((c) => c.body.channel === SECRET);
    expect(pages.length).toBeGreaterThanOrEqual(3);

    // Membership is cached: asking again costs no new lookup.
    const before = h.fake.callsTo("conversations.members").length;
    await commandAnswer(h, { text: "handoff", responseId: "B2", user: "UBOB", channel: SECRET });
    expect(h.fake.callsTo("conversations.members")).toHaveLength(before);
  });

  it("Post to channel posts only what every member of that channel may see, and pings nobody", async () => {
    h = await world();
    const ids = await incidents(h);
    // Ann is in her DM and the group DM, not in Bob's private channel.
    const postFrom = async (channel: string, responseId: string) => {
      const mine = await commandAnswer(h, { text: "handoff", responseId, user: "UANN", channel });
      const before = h.fake.callsTo("chat.postMessage").filter((c) => c.body.channel === channel).length;
      await interact(
        h.eventsUrl,
        press({
          fake: h.fake,
          channel,
          button: button(mine.body.blocks as AnyBlock[], "handoff_post"),
          user: "UANN",
          responseId,
        }),
      );
      const posts = await h.fake.waitFor(() => {
        const p = h.fake.callsTo("chat.postMessage").filter((c) => c.body.channel === channel);
        return p.length > before ? p : undefined;
      });
      return posts.at(-1);
    };

    // A public channel: anyone can join and read back, so public incidents only.
    const inPublic = await postFrom(PUBLIC, "P1");
    expect(listed(inPublic?.body.blocks)).toEqual([ids.pub]);
    // The group DM (Ann, Cy): its own incident and the public one; not Ann's DM, which Cy may not see.
    const inGroup = await postFrom(GROUP, "P2");
    expect(listed(inGroup?.body.blocks)).toEqual([ids.pub, ids.group].sort());
    // Ann's DM with the bot: everything Ann may see.
    const inDm = await postFrom(ANN_DM, "P3");
    expect(listed(inDm?.body.blocks)).toEqual([ids.pub, ids.dm, ids.group].sort());

    for (const post of [inPublic, inGroup, inDm]) {
      const json = JSON.stringify(post?.body);
      expect(json).toContain("shared by Ann");
      expect(json).not.toContain("<@");
      expect(json).not.toMatch(/<!(here|channel|everyone)/);
    }
    expect(JSON.stringify(inPublic?.body)).not.toContain(ANN_DM);
    expect(JSON.stringify(inPublic?.body)).not.toContain(SECRET);
  });

  it("a button on the posted copy re-renders it for that channel's members, never for the presser alone", async () => {
    h = await world();
    const ids = await incidents(h);
    const mine = await commandAnswer(h, { text: "handoff", responseId: "C1", user: "UANN", channel: PUBLIC });
    await interact(
      h.eventsUrl,
      press({
        fake: h.fake,
        channel: PUBLIC,
        button: button(mine.body.blocks as AnyBlock[], "handoff_post"),
        user: "UANN",
        responseId: "C1",
      }),
    );
    const shared = await h.fake.waitFor(() =>
      h.fake
        .callsTo("chat.postMessage")
        .find((c) => c.body.channel === PUBLIC && JSON.stringify(c.body.blocks).includes("On-call handoff")),
    );
    expect(listed(shared.body.blocks)).toEqual([ids.pub]);
    // Ann, who may see her DM's incident, takes over the public one from the channel's copy.
    await interact(
      h.eventsUrl,
      press({
        fake: h.fake,
        channel: PUBLIC,
        button: button(shared.body.blocks, "incident_take_over", `handoff:${ids.pub}`),
        user: "UANN",
        responseId: "C2",
      }),
    );
    const redone = await h.fake.waitFor(() => responsesTo(h, "C2")[0]);
    expect(redone.body).toMatchObject({ replace_original: true, response_type: "in_channel" });
    expect(listed(redone.body.blocks as AnyBlock[])).toEqual([ids.pub]);
    expect(JSON.stringify(redone.body)).toContain("owner Ann");
  });

  it("App Home lists only what the viewer may see", async () => {
    h = await world();
    const ids = await incidents(h);
    const home = async (user: string) => {
      const before = h.fake.callsTo("views.publish").length;
      await deliver(
        h,
        "http",
        eventCallback(
          { type: "app_home_opened", user, channel: `D${user}`, tab: "home", event_ts: "1" },
          { teamId: h.fake.teamId },
        ),
      );
      const calls = await h.fake.waitForCalls("views.publish", before + 1);
      return JSON.stringify(calls.at(-1)?.body.view);
    };
    const eve = await home("UEVE");
    expect(eve).toContain(`<#${PUBLIC}>`);
    expect(eve).not.toContain(`<#${SECRET}>`);
    expect(eve).not.toContain("a direct message");
    const bob = await home("UBOB");
    expect(bob).toContain(`<#${SECRET}>`);
    expect(bob).not.toContain("a direct message");
    const ann = await home("UANN");
    expect(ann).toContain("a direct message");
    expect(ann).not.toContain(`<#${SECRET}>`);
    expect(ids.dm).toBeDefined();
  });

  it("a button forged for someone else's incident changes nothing and says only that it is gone", async () => {
    h = await world();
    const ids = await incidents(h);
    const reply = replyIn(h, ANN_DM, ids.dm.split(":")[2] as string);
    await interact(
      h.eventsUrl,
      press({
        fake: h.fake,
        channel: PUBLIC,
        button: button(reply?.blocks, "incident_resolve"),
        user: "UEVE",
        responseId: "F1",
      }),
    );
    const told = await h.fake.waitFor(() => responsesTo(h, "F1")[0]);
    expect(String(told.body.text)).toContain("no longer have that incident");
    expect((await h.store.get(ids.dm))?.status).toBe("open");
    expect(timeline(h, ANN_DM)).toEqual([]);
  });

  it("the CLI, which has no Slack identity, lists the public incidents and counts the others", async () => {
    h = await world();
    const ids = await incidents(h);
    let out = "";
    const io = { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => true }, env: {} };
    expect(await runHandoff(["--db", h.config.dbPath, "--json"], io)).toBe(0);
    const cli = Handoff.parse(JSON.parse(out));
    expect([...cli.active, ...cli.resolved].map((i) => i.id)).toEqual([ids.pub]);
    expect(cli.notListed).toBe(3);
  });
});
