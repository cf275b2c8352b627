// Per-channel settings end to end: `/tattle settings` opens the modal, a submission is checked and
// kept with the incidents (and survives a restart on the same file), automatic diagnosis can be
// turned off, an integration's alert is diagnosed only where its bot id is allowed, and each team's
// handoff is posted in its channel at shift change, once a day, across restarts (injected clock).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../support/bot-harness.js";
import { FakeSlack } from "../support/fake-slack.js";
import { eventCallback } from "../support/slack-requests.js";
import { type AnyBlock, handoffOrder, interact } from "./handoff-helpers.js";
import { deliver, founding, slackEscape } from "./helpers.js";
import { command, paste, settled, submitView, waitForLog } from "./slack-world.js";

const ALERTS = "CALERTS";
const WEB = "CWEB";
const HANDOFF = "CHANDOFF";
const NAGIOS = "B0NAGIOS";

let dir: string;
let fake: FakeSlack;
const harnesses: Harness[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "tattletale-settings-"));
  fake = await FakeSlack.start();
  fake.setConversation(HANDOFF, { kind: "public" });
});
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.close();
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

/** The bot on this suite's file and workspace (a restart is another call). */
async function bot(now?: () => number): Promise<Harness> {
  const h = await startHarness("http", {
    fake,
    env: { TATTLETALE_DB: join(dir, "incidents.json") },
    ...(now ? { now, bot: { shiftChangeEveryMs: 0 } } : {}),
  });
  harnesses.push(h);
  return h;
}

async function stop(h: Harness): Promise<void> {
  harnesses.splice(harnesses.indexOf(h), 1);
  await h.close();
}

/** `/tattle settings` in `channel`: the modal it opens. */
async function openSettings(h: Harness, channel: string, user = "UANN"): Promise<AnyBlock> {
  const before = fake.callsTo("views.open").length;
  await command(h, {
    text: "settings",
    responseId: `S${before}`,
    user,
    channel,
    triggerId: `trig-${before}`,
  });
  const opened = await fake.waitForCalls("views.open", before + 1);
  expect(opened.at(-1)?.body.trigger_id).toBe(`trig-${before}`);
  return opened.at(-1)?.body.view;
}

const text = (value: string | null) => ({ type: "plain_text_input", value });

function values(f: {
  auto?: boolean;
  bots?: string;
  team?: string;
  channel?: string | null;
  time?: string | null;
  tz?: string;
}) {
  return {
    settings_auto: {
      type: "checkboxes",
      selected_options: f.auto === false ? [] : [{ value: "on" }],
    },
    settings_integrations: text(f.bots ?? ""),
    settings_team: text(f.team ?? ""),
    settings_handoff_channel: { type: "conversations_select", selected_conversation: f.channel ?? null },
    settings_handoff_time: { type: "timepicker", selected_time: f.time ?? null },
    settings_time_zone: text(f.tz ?? "UTC"),
  };
}

/** Opens and submits the settings of `channel`; resolves with the submission's HTTP answer. */
async function saveSettings(h: Harness, channel: string, v: ReturnType<typeof values>, user = "UANN") {
  const view = await openSettings(h, channel, user);
  const before = fake.callsTo("chat.postEphemeral").length;
  const res = await interact(h.eventsUrl, submitView(fake, view, user, v));
  const body = await res.text();
  if (body === "") await fake.waitForCalls("chat.postEphemeral", before + 1);
  return body === "" ? {} : JSON.parse(body);
}

/** An integration's alert (a bot_message), its words in an attachment as monitoring tools send them. */
async function alert(h: Harness, channel: string, botId: string, body: string) {
  const m = fake.addMessage(channel, {
    bot_id: botId,
    subtype: "bot_message",
    text: "",
    attachments: [{ fallback: "HTTPERR alert", text: slackEscape(body) }],
  });
  await deliver(
    h,
    "http",
    eventCallback(
      {
        type: "message",
        subtype: "bot_message",
        channel,
        channel_type: "channel",
        bot_id: botId,
        username: "Nagios",
        text: "",
        attachments: m.attachments,
        ts: m.ts,
        event_ts: m.ts,
      },
      { teamId: fake.teamId },
    ),
  );
  return m;
}

/** Settles what the bot does with an event: a later event in another channel is answered after it. */
async function settle(h: Harness): Promise<void> {
  const marker = await paste(h, { channel: "CMARKER", user: "UMARK", text: founding("boot.ini") });
  expect(marker.incidentId).toBeDefined();
}

describe("/tattle settings", () => {
  it("keeps what is saved with the incidents: the modal shows it again after a restart, and the bot acts on it", async () => {
    const first = await bot();
    const fresh = await openSettings(first, ALERTS);
    // Defaults: automatic diagnosis on, no integration, no team.
    expect(JSON.stringify(fresh.blocks)).toContain('"initial_options"');
    expect(JSON.stringify(fresh.blocks)).not.toContain("initial_conversation");
    const saved = await saveSettings(
      first,
      ALERTS,
      values({
        bots: `${NAGIOS}, b0zabbix`,
        team: "web",
        channel: HANDOFF,
        time: "08:00",
        tz: "europe/paris",
      }),
    );
    expect(saved).toEqual({});
    const confirm = fake.callsTo("chat.postEphemeral").at(-1);
    expect(confirm?.body).toMatchObject({ channel: ALERTS, user: "UANN" });
    expect(JSON.stringify(confirm?.body.blocks)).toContain("`B0NAGIOS`, `B0ZABBIX`");
    expect(JSON.stringify(confirm?.body.blocks)).toContain(`<#${HANDOFF}> every day at 08:00 Europe/Paris`);
    await stop(first);

    const second = await bot();
    const again = await openSettings(second, ALERTS, "UBOB");
    const json = JSON.stringify(again.blocks);
    expect(json).toContain('"initial_value":"B0NAGIOS, B0ZABBIX"');
    expect(json).toContain('"initial_value":"web"');
    expect(json).toContain(`"initial_conversation":"${HANDOFF}"`);
    expect(json).toContain('"initial_time":"08:00"');
    expect(json).toContain('"initial_value":"Europe/Paris"');
    const s = await second.store.getSettings();
    expect(s.channels[ALERTS]).toMatchObject({ autoDiagnose: true, team: "web", updatedBy: "UANN" });

    // The allowed integration's alert is diagnosed in its thread.
    const nagios = await alert(second, ALERTS, NAGIOS, founding("httperr1.log"));
    const id = `${fake.teamId}:${ALERTS}:${nagios.ts}`;
    await fake.waitFor(async () => (await second.store.get(id)) !== undefined);
    await settled(second);
    const reply = fake.thread(ALERTS, nagios.ts).find((m) => m.bot_id === fake.botId);
    expect(JSON.stringify(reply?.blocks)).toContain("httperr-connections-refused");
    expect((await second.store.get(id))?.reportedBy).toBe(NAGIOS);
  });

  it("diagnoses an integration's alert only where the channel allows that bot", async () => {
    const h = await bot();
    await saveSettings(h, ALERTS, values({ bots: NAGIOS }));
    const other = await alert(h, ALERTS, "B0OTHER", founding("httperr1.log"));
    const elsewhere = await alert(h, WEB, NAGIOS, founding("httperr1.log"));
    const ours = fake.addMessage(ALERTS, {
      bot_id: fake.botId,
      user: fake.botUserId,
      text: founding("httperr1.log"),
    });
    await deliver(
      h,
      "http",
      eventCallback(
        {
          type: "message",
          subtype: "bot_message",
          channel: ALERTS,
          channel_type: "channel",
          bot_id: fake.botId,
          text: ours.text,
          ts: ours.ts,
          event_ts: ours.ts,
        },
        { teamId: fake.teamId },
      ),
    );
    await waitForLog(h, `message ${ALERTS}/${other.ts}: skipped (integration B0OTHER is not allowed here)`);
    await waitForLog(
      h,
      `message ${WEB}/${elsewhere.ts}: skipped (integration ${NAGIOS} is not allowed here)`,
    );
    await settle(h);
    expect(fake.visiblePosts(ALERTS)).toEqual([]);
    expect(fake.visiblePosts(WEB)).toEqual([]);
    expect(await h.store.get(`${fake.teamId}:${ALERTS}:${other.ts}`)).toBeUndefined();
    expect(await h.store.get(`${fake.teamId}:${WEB}:${elsewhere.ts}`)).toBeUndefined();

    // The allowed one is; and a person's paste in its thread is read together with the alert.
    const nagios = await alert(h, ALERTS, NAGIOS, founding("httperr1.log"));
    const id = `${fake.teamId}:${ALERTS}:${nagios.ts}`;
    await fake.waitFor(async () => (await h.store.get(id)) !== undefined);
    await paste(h, { channel: ALERTS, user: "UANN", text: founding("poolmon-b.txt"), threadTs: nagios.ts });
    await fake.waitFor(async () => (await h.store.get(id))?.diagnoses === 2);
    const incident = await h.store.get(id);
    expect(incident?.inputs.map((i) => i.kind)).toEqual(["httperr", "poolmon"]);
    expect(incident?.findings.map((f) => f.id)).toEqual(
      expect.arrayContaining(["httperr-connections-refused", "antivirus-pool-leak"]),
    );
  });

  it("automatic diagnosis off: pastes are left alone, a mention is still answered", async () => {
    const h = await bot();
    await saveSettings(h, "CQUIET", values({ auto: false }));
    const quiet = fake.addMessage("CQUIET", { user: "UANN", text: slackEscape(founding("httperr1.log")) });
    await deliver(
      h,
      "http",
      eventCallback(
        {
          type: "message",
          channel: "CQUIET",
          channel_type: "channel",
          user: "UANN",
          text: quiet.text,
          ts: quiet.ts,
          event_ts: quiet.ts,
        },
        { teamId: fake.teamId },
      ),
    );
    await waitForLog(h, `message CQUIET/${quiet.ts}: skipped (automatic diagnosis is off here)`);
    expect(fake.visiblePosts("CQUIET")).toEqual([]);

    const asked = fake.addMessage("CQUIET", {
      user: "UANN",
      text: `<@${fake.botUserId}> ${slackEscape(founding("httperr1.log"))}`,
    });
    await deliver(
      h,
      "http",
      eventCallback(
        {
          type: "app_mention",
          channel: "CQUIET",
          user: "UANN",
          text: asked.text,
          ts: asked.ts,
          event_ts: asked.ts,
        },
        { teamId: fake.teamId },
      ),
    );
    const [answer] = await fake.waitFor(() =>
      fake.visiblePosts("CQUIET").length ? fake.visiblePosts("CQUIET") : undefined,
    );
    expect(answer?.body.thread_ts).toBe(asked.ts);
    expect(JSON.stringify(answer?.body.blocks)).toContain("httperr-connections-refused");
  });

  it("says in the form what to fix, and keeps nothing of a refused submission", async () => {
    const h = await bot();
    const refused = await saveSettings(
      h,
      ALERTS,
      values({ bots: "nagios", team: "", channel: HANDOFF, time: "08:00", tz: "Mars/Olympus" }),
    );
    expect(refused).toMatchObject({
      response_action: "errors",
      errors: {
        settings_integrations: expect.stringContaining("not a bot id"),
        settings_team: expect.stringContaining("Name the team"),
        settings_time_zone: expect.stringContaining("time zone"),
      },
    });
    const half = await saveSettings(h, ALERTS, values({ team: "web", channel: HANDOFF }));
    expect(half.errors?.settings_handoff_time).toContain("both a channel and a time");
    expect(await h.store.getSettings()).toEqual({ channels: {}, teams: {} });
  });
});

describe("channel settings from App Home", () => {
  /** The App Home button pressed, as Slack sends a click in a view (no channel, no response URL). */
  const pressInHome = (user: string, button: AnyBlock, homeView: AnyBlock) => ({
    type: "block_actions",
    team: { id: fake.teamId, domain: "fake" },
    user: { id: user, username: user.toLowerCase(), team_id: fake.teamId },
    api_app_id: "AFAKE",
    token: "legacy",
    container: { type: "view", view_id: "VHOME" },
    trigger_id: `trig-home-${user}`,
    view: { ...homeView, id: "VHOME", team_id: fake.teamId, app_id: "AFAKE", bot_id: fake.botId, hash: "h" },
    actions: [
      {
        type: "button",
        action_id: button.action_id,
        block_id: "home_actions",
        text: button.text,
        action_ts: "1",
      },
    ],
  });

  it("opens the same form for a channel picked there, and only for a channel the person is in", async () => {
    const h = await bot();
    fake.setConversation("CPRIV", { kind: "private", members: ["UANN"] });
    await deliver(
      h,
      "http",
      eventCallback(
        { type: "app_home_opened", user: "UBOB", channel: "DUBOB", tab: "home", event_ts: "1" },
        { teamId: fake.teamId },
      ),
    );
    const [published] = await fake.waitForCalls("views.publish", 1);
    const homeView = published?.body.view;
    const settingsButton = (homeView.blocks as AnyBlock[])
      .filter((b) => b.type === "actions")
      .flatMap((b) => b.elements)
      .find((e: AnyBlock) => e.action_id === "home_settings");
    expect(settingsButton).toBeDefined();

    const pick = async (user: string, channel: string) => {
      const before = fake.callsTo("views.open").length;
      await interact(h.eventsUrl, pressInHome(user, settingsButton, homeView));
      const opened = await fake.waitForCalls("views.open", before + 1);
      expect(opened.at(-1)?.body.trigger_id).toBe(`trig-home-${user}`);
      const picker = opened.at(-1)?.body.view;
      const res = await interact(
        h.eventsUrl,
        submitView(fake, picker, user, {
          settings_pick: { type: "conversations_select", selected_conversation: channel },
        }),
      );
      return JSON.parse(await res.text());
    };

    // Bob is not in the private channel: neither its form nor what it holds.
    const refused = await pick("UBOB", "CPRIV");
    expect(refused).toEqual({
      response_action: "errors",
      errors: { settings_pick: "You can set up only a channel you are in." },
    });
    // Ann is: the picker becomes that channel's settings form, which saves as /tattle settings does.
    const form = await pick("UANN", "CPRIV");
    expect(form.response_action).toBe("update");
    expect(form.view.callback_id).toBe("channel_settings_modal");
    expect(JSON.parse(form.view.private_metadata)).toEqual({ c: "CPRIV" });
    const saved = await interact(
      h.eventsUrl,
      submitView(fake, form.view, "UANN", values({ auto: false, bots: NAGIOS })),
    );
    expect(await saved.text()).toBe("");
    await fake.waitFor(async () => (await h.store.getSettings()).channels.CPRIV !== undefined);
    expect((await h.store.getSettings()).channels.CPRIV).toMatchObject({
      autoDiagnose: false,
      integrations: [NAGIOS],
      updatedBy: "UANN",
    });
  });
});

describe("the handoff at shift change", () => {
  it("is posted once a day at the team's local time, in its channel, with what that channel may see, across restarts", async () => {
    let nowMs = Date.parse("2024-01-15T06:30:00Z");
    const now = () => nowMs;
    fake.setConversation(HANDOFF, { kind: "public" });
    fake.setConversation("CSECRETWEB", { kind: "private", members: ["UANN"] });
    const h = await bot(now);
    await saveSettings(h, WEB, values({ team: "web", channel: HANDOFF, time: "08:00", tz: "Europe/Paris" }));
    await saveSettings(
      h,
      "CSECRETWEB",
      values({ team: "web", channel: HANDOFF, time: "08:00", tz: "Europe/Paris" }),
    );
    const pub = await paste(h, { channel: WEB, user: "UANN", text: founding("httperr1.log") });
    const secret = await paste(h, { channel: "CSECRETWEB", user: "UANN", text: founding("poolmon-b.txt") });
    const otherTeam = await paste(h, { channel: "COTHER", user: "UANN", text: founding("httperr1.log") });
    const shiftChange = h.bot.shiftChange;
    if (!shiftChange) throw new Error("no shift-change poster");
    const posts = () => fake.callsTo("chat.postMessage").filter((c) => c.body.channel === HANDOFF);

    // 07:59 in Paris: not yet.
    nowMs = Date.parse("2024-01-15T06:59:00Z");
    expect(await shiftChange.tick()).toEqual([]);
    // 08:00 in Paris.
    nowMs = Date.parse("2024-01-15T07:00:00Z");
    expect(await shiftChange.tick()).toEqual(["web"]);
    expect(posts()).toHaveLength(1);
    const posted = posts()[0]?.body;
    expect(handoffOrder(posted?.blocks)).toEqual([pub.incidentId]);
    const json = JSON.stringify(posted);
    expect(json).toContain("On-call handoff: web");
    expect(json).toContain("posted at shift change");
    expect(json).not.toContain("<@");
    expect(json).not.toContain(secret.incidentId);
    expect(json).not.toContain(otherTeam.incidentId);
    // Again a minute later, and after a restart on the same file: nothing more.
    nowMs += 60_000;
    expect(await shiftChange.tick()).toEqual([]);
    await stop(h);
    const restarted = await bot(now);
    expect(await restarted.bot.shiftChange?.tick()).toEqual([]);
    expect(posts()).toHaveLength(1);

    // The next day: a failed post is given back and posted at the next tick.
    nowMs = Date.parse("2024-01-16T07:05:00Z");
    fake.failNext("chat.postMessage", { error: "channel_not_found" });
    expect(await restarted.bot.shiftChange?.tick()).toEqual([]);
    expect((await restarted.store.getSettings()).teams.web?.lastPostedOn).toBe("2024-01-15");
    expect(await restarted.bot.shiftChange?.tick()).toEqual(["web"]);
    expect(posts()).toHaveLength(2);
    expect((await restarted.store.getSettings()).teams.web?.lastPostedOn).toBe("2024-01-16");
  });
});
