// The validator every fake-Slack payload goes through must itself find what Slack would read as a
// control sequence: the bugs of issue 15 (`<1m · <#C0CHAN>`, `<@U…>` in a posted handoff, a file
// named `<!here>\u202Egpj.evtx`) each fail it, and what the bot means (a known channel, a cited
// reference) passes. A validator that found nothing would let every suite pass.
import { afterEach, describe, expect, it } from "vitest";
import { escapeMrkdwn } from "../../bot/render/escape.js";
import { FakeSlack } from "../support/fake-slack.js";
import {
  controlSequences,
  type MrkdwnPolicy,
  payloadProblems,
  problemsIn,
} from "../support/mrkdwn-validator.js";

const policy: MrkdwnPolicy = {
  channel: (id) => id === "C0CHAN",
  linkHost: (host) => host === "learn.microsoft.com",
};

describe("the mrkdwn validator", () => {
  it("reads an age written as `<1m` before a channel reference as a stray `<` (the handoff bug)", () => {
    const kinds = controlSequences("open <1m · <#C0CHAN>").map((s) => s.kind);
    expect(kinds).toEqual(["stray <", "channel"]);
    expect(problemsIn("open <1m · <#C0CHAN>", policy).map((p) => p.kind)).toEqual(["stray <"]);
    expect(problemsIn("open under a minute · <#C0CHAN>", policy)).toEqual([]);
  });

  it("finds mentions, broadcasts, unknown channels, foreign links, stray characters and invisible ones", () => {
    const found = (s: string) => problemsIn(s, policy).map((p) => p.kind);
    expect(found("owner <@U0ANN>")).toEqual(["user"]);
    expect(found("<!here> look")).toEqual(["broadcast"]);
    expect(found("<!subteam^S1|oncall>")).toEqual(["subteam"]);
    expect(found("<#C0OTHER>")).toEqual(["channel"]);
    expect(found("<https://evil.example/x|Microsoft>")).toEqual(["link"]);
    expect(found("a > b & c")).toEqual(["stray >", "stray &"]);
    expect(found("gpj\u202E.evtx\u200B")).toEqual(["invisible", "invisible"]);
    expect(found("<#C0CHAN> <https://learn.microsoft.com/x|KB 2020> &amp; &lt;ok&gt;")).toEqual([]);
  });

  it("passes whatever the escaping function makes of the same strings", () => {
    for (const s of ["<1m · <#C0CHAN>", "<@U0ANN>", "<!here>\u202Egpj.evtx", "a > b & c", "<https://x|y>"])
      expect(problemsIn(escapeMrkdwn(s), policy), s).toEqual([]);
  });

  it("reads every mrkdwn text of a payload, not plain_text", () => {
    const payload = {
      text: "<!channel>",
      blocks: [
        { type: "section", text: { type: "mrkdwn", text: "<@U1>" } },
        { type: "context", elements: [{ type: "mrkdwn", text: "<!everyone>" }] },
        { type: "header", text: { type: "plain_text", text: "<@U2>" } },
      ],
    };
    expect(payloadProblems(payload, policy, "chat.postMessage").map((p) => p.where)).toEqual([
      "chat.postMessage.text",
      "chat.postMessage.blocks[0].text.text",
      "chat.postMessage.blocks[1].elements[0].text",
    ]);
  });
});

describe("the fake Slack", () => {
  let fake: FakeSlack | undefined;
  afterEach(async () => {
    await fake?.close().catch(() => undefined);
    fake = undefined;
  });

  it("fails on close() when a payload it received pings someone", async () => {
    fake = await FakeSlack.start();
    const res = await fetch(`${fake.url}chat.postMessage`, {
      method: "POST",
      headers: { Authorization: `Bearer ${fake.botToken}`, "Content-Type": "application/json" },
      body: JSON.stringify({ channel: "C0CHAN", text: "handoff: owner <@U0ANN>, <1m ago" }),
    });
    expect(res.status).toBe(200);
    const closing = fake.close();
    fake = undefined;
    await expect(closing).rejects.toThrow(/user "<@U0ANN>"/);
  });
});
