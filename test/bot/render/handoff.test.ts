// The handoff and incident controls in Block Kit: the order buildHandoff gives, everything a user
// wrote escaped, Slack's limits kept however many incidents and however long the notes.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FEEDBACK_BLOCK_ID, renderDiagnosis } from "../../../bot/render/diagnosis.js";
import {
  HANDOFF_ITEM_PREFIX,
  HANDOFF_POST,
  HANDOFF_RESOLVED_PREFIX,
  renderHandoff,
} from "../../../bot/render/handoff.js";
import { homeLists, renderHome } from "../../../bot/render/home.js";
import {
  INCIDENT_ACTIONS_BLOCK,
  INCIDENT_NOTE,
  INCIDENT_REOPEN,
  INCIDENT_RESOLVE,
  INCIDENT_STATUS_BLOCK,
  INCIDENT_TAKE_OVER,
  parseActionValue,
  parseNoteMeta,
  renderNoteModal,
  replaceIncidentBlocks,
  stateAfterPaste,
  statusLine,
  threadIncidentBlocks,
} from "../../../bot/render/incident-actions.js";
import type { Block } from "../../../bot/render/limits.js";
import { buildHandoff, type Incident, MAX_NOTE_LENGTH, newIncident } from "../../../incidents/index.js";
import { diagnosis, finding } from "../../incidents/helpers.js";
import {
  expectWithinLimits as expectTextsWithinLimits,
  expectValidBlockIds,
} from "../../support/slack-limits.js";

function expectWithinLimits(blocks: Block[]): void {
  expectTextsWithinLimits(blocks);
  expectValidBlockIds(blocks);
}

const RUNS = Number(process.env.FAST_CHECK_RUNS ?? 50);
const NOW = Date.parse("2024-05-01T20:00:00.000Z");
const H = 3_600_000;
const INJECTIONS = [
  "<!channel>",
  "<!here>",
  "<@U123>",
  "<#C1|x>",
  "<https://evil.example|click>",
  "&lt;",
  "`*_|>",
];

let seq = 0;
function incident(over: Partial<Incident> = {}): Incident {
  seq += 1;
  const createdAt = new Date(NOW - 10 * H + seq * 60_000).toISOString();
  const threadTs = `17000000${seq}.000100`;
  const base = newIncident(
    { id: `T1:C${seq}:${threadTs}`, workspace: "T1", channel: `C${seq}`, threadTs, user: "UREPORT" },
    createdAt,
  );
  return {
    ...base,
    permalink: `https://fake.slack.com/archives/C${seq}/p17000000${seq}000100`,
    contributors: ["UREPORT"],
    diagnoses: 1,
    headline: `Headline ${seq}`,
    severity: "warning",
    ...over,
  };
}

/** No `<` opens anything but a link we built, a channel or a user we named. */
function expectNoPings(json: string): void {
  const opens = json.match(/<(?!https:\/\/)[^>]{0,40}/g) ?? [];
  expect(opens.filter((o) => !/^<[#@][CGUW][A-Z0-9]+$/.test(o))).toEqual([]);
  for (const raw of ["<!channel", "<!here", "<!everyone", "<@U123>", "<#C1|"])
    expect(json).not.toContain(raw);
}

function orderOf(blocks: Block[]): string[] {
  return blocks
    .map((b) => b.block_id ?? "")
    .filter((id) => id.startsWith(HANDOFF_ITEM_PREFIX) || id.startsWith(HANDOFF_RESOLVED_PREFIX))
    .map((id) => id.slice(id.indexOf(":") + 1));
}

describe("renderHandoff", () => {
  it("shows open incidents in buildHandoff's order with their buttons, resolved ones after", () => {
    const warning = incident({ severity: "warning" });
    const critical = incident({ severity: "critical", owner: "UANN", status: "acknowledged" });
    const resolved = incident({
      severity: "critical",
      status: "resolved",
      history: [{ at: new Date(NOW - H).toISOString(), by: "UCY", status: "resolved", owner: null }],
    });
    const info = incident({ severity: "info" });
    const h = buildHandoff([warning, critical, resolved, info], { sinceMs: NOW - 12 * H, nowMs: NOW });
    const out = renderHandoff(h, { viewer: "UANN" });
    expect(orderOf(out.blocks)).toEqual([...h.active, ...h.resolved].map((i) => i.id));
    expect(orderOf(out.blocks)).toEqual([critical.id, warning.id, info.id, resolved.id]);

    const json = JSON.stringify(out.blocks);
    expect(json).toContain(`<#${critical.channel}>`);
    expect(json).toContain("owner <@UANN>");
    expect(json).toContain("resolved 1h ago by <@UCY>");
    // The viewer owns the critical one: no "Take over" on it, but on the others.
    const firstButtons = out.blocks[out.blocks.findIndex((b) => b.block_id === `handoff:${critical.id}`) + 1];
    expect(firstButtons?.type).toBe("actions");
    const ids = (b: Block | undefined) =>
      b?.type === "actions" ? b.elements.map((e) => ("action_id" in e ? e.action_id : "")) : [];
    expect(ids(firstButtons)).toEqual([INCIDENT_RESOLVE, INCIDENT_NOTE]);
    const second = out.blocks[out.blocks.findIndex((b) => b.block_id === `handoff:${warning.id}`) + 1];
    expect(ids(second)).toEqual([INCIDENT_TAKE_OVER, INCIDENT_RESOLVE, INCIDENT_NOTE]);
    const value =
      second?.type === "actions" && second.elements[0]?.type === "button" ? second.elements[0].value : "";
    expect(parseActionValue(value)).toEqual({ i: warning.id, w: "handoff", s: NOW - 12 * H });
    expect(json).toContain(HANDOFF_POST);
    expectWithinLimits(out.blocks);
  });

  it("the copy posted to a channel names who shared it, keeps the incident buttons, drops Post", () => {
    const h = buildHandoff([incident()], { sinceMs: NOW - 12 * H, nowMs: NOW });
    const out = renderHandoff(h, { sharedBy: "USHARE" });
    const json = JSON.stringify(out.blocks);
    expect(json).toContain("shared by <@USHARE>");
    expect(json).not.toContain(HANDOFF_POST);
    expect(json).toContain(INCIDENT_TAKE_OVER);
    const actions = out.blocks.find((b) => b.type === "actions");
    const v =
      actions?.type === "actions" && actions.elements[0]?.type === "button" ? actions.elements[0].value : "";
    expect(parseActionValue(v)?.p).toBe("USHARE");
  });

  it("says so when there is nothing to hand over", () => {
    const out = renderHandoff(buildHandoff([], { sinceMs: NOW - 12 * H, nowMs: NOW }));
    expect(JSON.stringify(out.blocks)).toContain("Nothing to hand over");
  });

  it("summarises what does not fit in 50 blocks as “and N more”, in order", () => {
    const many = Array.from({ length: 60 }, (_, i) =>
      incident({ severity: i % 2 ? "critical" : "warning", notes: [] }),
    );
    const done = Array.from({ length: 15 }, (_, i) =>
      incident({
        status: "resolved",
        history: [
          { at: new Date(NOW - i * 60_000).toISOString(), by: "UCY", status: "resolved", owner: null },
        ],
      }),
    );
    const h = buildHandoff([...many, ...done], { sinceMs: NOW - 12 * H, nowMs: NOW });
    const out = renderHandoff(h, { viewer: "U1" });
    expectWithinLimits(out.blocks);
    const shown = orderOf(out.blocks);
    const activeShown = shown.filter((id) => h.active.some((a) => a.id === id));
    // Shown ones are the first of each list, in the same order.
    expect(activeShown).toEqual(h.active.slice(0, activeShown.length).map((i) => i.id));
    expect(shown.slice(activeShown.length)).toEqual(
      h.resolved.slice(0, shown.length - activeShown.length).map((i) => i.id),
    );
    const json = JSON.stringify(out.blocks);
    expect(json).toContain(`and ${60 - activeShown.length} more open incidents`);
    expect(json).toContain(`more resolved incidents`);
    // The Post button survives the cut.
    expect(out.blocks.at(-1)?.block_id).toBe("handoff_footer");
  });

  it("escapes headlines, notes and names however long, and stays within limits", () => {
    const text = fc
      .tuple(fc.string({ maxLength: 4000 }), fc.constantFrom(...INJECTIONS))
      .map(([s, inj]) => s + inj);
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            headline: fc.option(fc.oneof(text, fc.constantFrom(...INJECTIONS)), { nil: null }),
            notes: fc.array(text, { maxLength: 6 }),
            owner: fc.option(fc.constantFrom("UANN", "<!here>", "not a user"), { nil: null }),
            channel: fc.constantFrom("C1", "D1X", "<!channel>", "G77"),
            resolved: fc.boolean(),
          }),
          { maxLength: 40 },
        ),
        (specs) => {
          const incidents = specs.map((s) =>
            incident({
              headline: s.headline,
              channel: s.channel,
              owner: s.owner,
              status: s.resolved ? "resolved" : "open",
              history: s.resolved
                ? [
                    {
                      at: new Date(NOW - H).toISOString(),
                      by: s.owner ?? "<!here>",
                      status: "resolved",
                      owner: null,
                    },
                  ]
                : [],
              notes: s.notes
                .filter((n) => n.trim() !== "")
                .map((n) => ({ author: s.owner ?? "<@U123>", text: n, at: new Date(NOW - H).toISOString() })),
            }),
          );
          const h = buildHandoff(incidents, { sinceMs: NOW - 12 * H, nowMs: NOW });
          for (const out of [
            renderHandoff(h, { viewer: "UANN", notice: "<!channel> broke" }),
            renderHandoff(h, { sharedBy: "UANN" }),
          ]) {
            expectWithinLimits(out.blocks);
            expectNoPings(JSON.stringify(out));
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("escapes a note and a headline written to ping people", () => {
    const i = incident({
      headline: "Pool <!channel> & <@U123> full",
      notes: [{ author: "UANN", text: "called <!here> & <b>vendor</b>", at: new Date(NOW).toISOString() }],
    });
    const json = JSON.stringify(
      renderHandoff(buildHandoff([i], { sinceMs: NOW - 12 * H, nowMs: NOW })).blocks,
    );
    expect(json).toContain("Pool &lt;!channel&gt; &amp; &lt;@U123&gt; full");
    expect(json).toContain("called &lt;!here&gt; &amp; &lt;b&gt;vendor&lt;/b&gt;");
    expect(json).toContain("<@UANN> 20:00 UTC");
  });
});

describe("thread reply controls", () => {
  it("put the status line and buttons before the feedback question, and replace only those", () => {
    const d = diagnosis([finding("httperr-connections-refused", "critical")], "refused <!here>");
    const state = stateAfterPaste(undefined, "T1:C1:1.1");
    const reply = renderDiagnosis(
      { ...d, inputs: [{ source: "message 1", kind: "httperr", records: 1 }] },
      {
        incidentId: "T1:C1:1.1",
        incident: threadIncidentBlocks(state),
      },
    );
    const ids = reply.blocks.map((b) => b.block_id);
    const at = ids.indexOf(INCIDENT_ACTIONS_BLOCK);
    expect(ids[at - 1]).toBe(INCIDENT_STATUS_BLOCK);
    expect(ids.indexOf(FEEDBACK_BLOCK_ID)).toBeGreaterThan(at);

    const resolved = {
      ...state,
      status: "resolved" as const,
      owner: "UANN",
      notes: [{ author: "UBOB", text: "rebooted <!channel>", at: "2024-05-01T10:00:00.000Z" }],
      history: [{ at: "2024-05-01T10:05:00.000Z", by: "UANN", status: "resolved" as const, owner: "UANN" }],
    };
    const updated = replaceIncidentBlocks(reply.blocks, threadIncidentBlocks(resolved));
    expect(updated.map((b) => b.block_id)).toEqual(ids);
    const others = (bs: Block[]) => bs.filter((b) => !String(b.block_id).startsWith("incident_"));
    expect(others(updated)).toEqual(others(reply.blocks));
    const json = JSON.stringify(updated);
    expect(json).toContain("Resolved* · by <@UANN> at 10:05 UTC");
    expect(json).toContain("rebooted &lt;!channel&gt;");
    expect(json).toContain(INCIDENT_REOPEN);
    expect(json).not.toContain(INCIDENT_RESOLVE);
    expect(json).not.toContain(INCIDENT_TAKE_OVER);
  });

  it("adds the controls to an older reply that had none, before its question", () => {
    const d = diagnosis([finding("httperr-queue-full", "critical")]);
    const old = renderDiagnosis(
      { ...d, inputs: [{ source: "m", kind: "httperr", records: 1 }] },
      { incidentId: "x" },
    );
    const updated = replaceIncidentBlocks(old.blocks, threadIncidentBlocks(stateAfterPaste(undefined, "x")));
    expect(updated).toHaveLength(old.blocks.length + 2);
    expect(updated.at(-3)?.block_id).toBe(INCIDENT_ACTIONS_BLOCK);
    expect(updated.at(-1)?.block_id).toBe(FEEDBACK_BLOCK_ID);
  });

  it("a new paste reopens a resolved incident, keeping its owner", () => {
    const s = stateAfterPaste({ id: "x", status: "resolved", owner: "UANN", notes: [], history: [] }, "x");
    expect(s).toMatchObject({ status: "open", owner: "UANN" });
    expect(statusLine(s)).toContain("owner <@UANN>");
  });

  it("ignores button values it did not write", () => {
    for (const v of [
      undefined,
      "",
      "{",
      "null",
      '{"i":""}',
      '{"i":"x","w":"elsewhere"}',
      '{"i":1,"w":"thread"}',
    ])
      expect(parseActionValue(v)).toBeNull();
  });
});

describe("note modal", () => {
  it("shows the incident escaped, keeps its metadata within 3,000 characters, caps the note length", () => {
    const i = incident({
      headline: "<!channel> pool & queue",
      notes: [{ author: "UANN", text: "<@U123> was here", at: new Date(NOW).toISOString() }],
    });
    const meta = {
      i: i.id,
      w: "handoff" as const,
      s: NOW,
      r: `https://hooks.slack.com/actions/${"x".repeat(100)}`,
    };
    const view = renderNoteModal(i, meta, MAX_NOTE_LENGTH);
    const json = JSON.stringify(view.blocks);
    expect(json).toContain("&lt;!channel&gt; pool &amp; queue");
    expect(json).toContain("&lt;@U123&gt; was here");
    expectNoPings(json);
    expect(parseNoteMeta(view.private_metadata)).toEqual(meta);
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    const input = view.blocks.find((b) => b.type === "input");
    expect(
      input?.type === "input" && input.element.type === "plain_text_input" && input.element.max_length,
    ).toBe(MAX_NOTE_LENGTH);

    const huge = renderNoteModal(i, { ...meta, r: "x".repeat(4000) }, MAX_NOTE_LENGTH);
    expect(huge.private_metadata?.length).toBeLessThanOrEqual(3000);
    expect(parseNoteMeta(huge.private_metadata)?.i).toBe(i.id);
  });
});

describe("App Home lists", () => {
  it("mine: open ones I own, or reported and nobody owns; latest: the week's; others' DMs hidden", () => {
    const owned = incident({ owner: "UME", reportedBy: "UOTHER", status: "acknowledged" });
    const reported = incident({ reportedBy: "UME" });
    const takenByOther = incident({ reportedBy: "UME", owner: "UOTHER", status: "acknowledged" });
    const resolvedMine = incident({ owner: "UME", status: "resolved" });
    const othersDm = incident({ channel: "DOTHER", reportedBy: "UOTHER", contributors: ["UOTHER"] });
    const oldOne = incident({
      owner: "UME",
      updatedAt: new Date(NOW - 9 * 24 * H).toISOString(),
    });
    const { mine, latest } = homeLists(
      [owned, reported, takenByOther, resolvedMine, othersDm, oldOne],
      "UME",
      NOW,
    );
    expect(mine.map((i) => i.id).sort()).toEqual([owned.id, reported.id, oldOne.id].sort());
    expect(latest.map((i) => i.id)).not.toContain(othersDm.id);
    expect(latest.map((i) => i.id)).not.toContain(oldOne.id);
    expect(latest.map((i) => i.id)).toContain(takenByOther.id);
    const home = JSON.stringify(renderHome({ readable: "x", mine, latest }).blocks);
    expect(home).toContain("Your open incidents");
    expect(home).toContain("owner <@UME>");
    expect(home).toContain("no owner");
  });
});
