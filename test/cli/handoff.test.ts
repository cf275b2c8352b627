// `tattletale handoff`: runHandoff called as a function, and run as a real process (the built CLI,
// dist/bin/tattletale.js).
import { execFile } from "node:child_process";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runHandoff } from "../../cli/handoff.js";
import { Handoff, openStore, recordDiagnosis, setStatus, takeOver } from "../../incidents/index.js";
import { clock, ctx, diagnosis, finding, tempDir } from "../incidents/helpers.js";
import { CLI_BIN } from "../support/cli-bin.js";

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => {
  await cleanup();
});

const H = 3_600_000;
const NOW = Date.parse("2024-05-01T20:00:00.000Z");

/** Three incidents over a shift: a critical one noted, a warning taken over, an info one resolved. */
async function shift(path: string, startIso = "2024-05-01T09:00:00.000Z") {
  const c = clock(startIso);
  const store = await openStore({ path, now: c.now });
  const refused = await recordDiagnosis(
    store,
    ctx(
      "C_WEB",
      "1714554000.000100",
      diagnosis([finding("httperr-connections-refused", "critical")], "http.sys refuses connections"),
    ),
  );
  c.advance(2 * H);
  const leak = await recordDiagnosis(
    store,
    ctx(
      "C_OPS",
      "1714561200.000200",
      diagnosis([finding("pool-tag-leak", "warning")], "Pool tag Tmfs grows 4 MB/h"),
    ),
  );
  c.advance(H);
  const queue = await recordDiagnosis(
    store,
    ctx(
      "C_WEB",
      "1714564800.000300",
      diagnosis([finding("httperr-queue-full", "info")], "Queue full on DefaultAppPool"),
    ),
  );
  c.advance(H);
  await store.appendNote(refused.id, { author: "U_BOB", text: "AV vendor ticket 4411 opened" });
  await takeOver(store, leak.id, "U_ANN");
  await setStatus(store, queue.id, "resolved", "U_CY");
  await store.close();
  return { refused, leak, queue };
}

function capture() {
  let out = "";
  let err = "";
  return {
    io: (env: Record<string, string | undefined> = {}, cwd?: string) => ({
      stdout: { write: (s: string) => (out += s) },
      stderr: { write: (s: string) => (err += s) },
      env,
      cwd,
      now: () => NOW,
    }),
    out: () => out,
    err: () => err,
  };
}

describe("runHandoff", () => {
  it("prints the Markdown handoff from TATTLETALE_DB, in handoff order", async () => {
    const path = join(dir, "incidents.json");
    await shift(path);
    const cap = capture();
    expect(await runHandoff(["--since", "12h"], cap.io({ TATTLETALE_DB: path }))).toBe(0);
    const md = cap.out();
    expect(md).toMatch(/^# On-call handoff\n/);
    expect(md).toContain("1 open, 1 acknowledged, 1 resolved");
    const refused = md.indexOf("http.sys refuses connections");
    const leak = md.indexOf("Pool tag Tmfs grows 4 MB/h");
    const queue = md.indexOf("Queue full on DefaultAppPool");
    expect(refused).toBeGreaterThan(0);
    expect(leak).toBeGreaterThan(refused);
    expect(queue).toBeGreaterThan(leak);
    expect(md).toContain("@U\\_BOB: AV vendor ticket 4411 opened");
    expect(md).toContain("owner: @U\\_ANN");
    expect(md).toContain("- resolved 7h ago by @U\\_CY · #C\\_WEB · Queue full on DefaultAppPool");
    expect(cap.err()).toBe("");
  });

  it("prints JSON that matches the Handoff schema, from --db", async () => {
    const path = join(dir, "elsewhere.json");
    const { refused, leak, queue } = await shift(path);
    const cap = capture();
    expect(await runHandoff(["--db", path, "--format", "json", "--since=1d"], cap.io())).toBe(0);
    const h = Handoff.parse(JSON.parse(cap.out()));
    expect(h.active.map((i) => i.id)).toEqual([refused.id, leak.id]);
    expect(h.resolved.map((i) => i.id)).toEqual([queue.id]);
    expect(h.since).toBe("2024-04-30T20:00:00.000Z");
  });

  it("says there is nothing when the window is empty, or the file does not exist yet", async () => {
    const path = join(dir, "incidents.json");
    await shift(path);
    const cap = capture();
    expect(await runHandoff(["--since", "90m"], cap.io({ TATTLETALE_DB: path }))).toBe(0);
    expect(cap.out()).toBe(
      "No incidents since 2024-05-01 18:30 UTC (1h 30m ago).\n\n2 older open incidents have had no activity in this window; a wider window shows them.\n",
    );
    const none = capture();
    expect(await runHandoff([], none.io({}, dir))).toBe(0);
    expect(none.out()).toBe("No incidents since 2024-05-01 08:00 UTC (12h ago).\n");
    // Reading created nothing: the store's snapshot and journal, as the bot left them, and no folder.
    expect((await readdir(dir)).sort()).toEqual(["incidents.json", "incidents.json.journal"]);
  });

  it("reads .tattletale/incidents.json under the working folder by default", async () => {
    await mkdir(join(dir, ".tattletale"));
    await shift(join(dir, ".tattletale", "incidents.json"));
    const cap = capture();
    expect(await runHandoff([], cap.io({}, dir))).toBe(0);
    expect(cap.out()).toContain("http.sys refuses connections");
  });

  it("hides what the bot's retention (TATTLETALE_RETENTION_DAYS) would prune", async () => {
    const path = join(dir, "incidents.json");
    await shift(path, "2024-04-20T09:00:00.000Z");
    const kept = capture();
    expect(
      await runHandoff(["--since", "30d"], kept.io({ TATTLETALE_DB: path, TATTLETALE_RETENTION_DAYS: "20" })),
    ).toBe(0);
    expect(kept.out()).toContain("1 open, 1 acknowledged, 1 resolved");
    const pruned = capture();
    expect(
      await runHandoff(
        ["--since", "30d"],
        pruned.io({ TATTLETALE_DB: path, TATTLETALE_RETENTION_DAYS: "10" }),
      ),
    ).toBe(0);
    expect(pruned.out()).toMatch(/^No incidents since/);
    const bad = capture();
    expect(await runHandoff([], bad.io({ TATTLETALE_DB: path, TATTLETALE_RETENTION_DAYS: "soon" }))).toBe(2);
    expect(bad.err()).toContain("TATTLETALE_RETENTION_DAYS");
  });

  it("lists public channels' incidents only, counts the others, and lists all with --include-private", async () => {
    const path = join(dir, "incidents.json");
    const { refused, leak, queue } = await shift(path);
    const c = clock("2024-05-01T15:00:00.000Z");
    const store = await openStore({ path, now: c.now });
    const d = (headline: string) => diagnosis([finding("httperr-queue-full", "critical")], headline);
    const dm = await recordDiagnosis(
      store,
      ctx("D_ANN", "1714575600.000100", d("A DM's secret"), "U_ANN", "im"),
    );
    const priv = await recordDiagnosis(
      store,
      ctx("C_SEC", "1714575600.000200", d("A private channel's secret"), "U_ANN", "private"),
    );
    const unknown = await recordDiagnosis(
      store,
      ctx("C_OLD", "1714575600.000300", d("Recorded before kinds were"), "U_ANN", null),
    );
    await store.updateSettings((s) => {
      s.channels.C_WEB = {
        autoDiagnose: true,
        integrations: [],
        team: "web",
        updatedAt: null,
        updatedBy: null,
      };
      s.channels.C_SEC = {
        autoDiagnose: true,
        integrations: [],
        team: "web",
        updatedAt: null,
        updatedBy: null,
      };
      return s;
    });
    await store.close();

    const md = capture();
    expect(await runHandoff(["--db", path], md.io())).toBe(0);
    expect(md.out()).not.toContain("secret");
    expect(md.out()).not.toContain("Recorded before");
    expect(md.out()).toContain("3 incidents in private channels or direct messages");
    expect(md.out()).toContain("--include-private");

    const json = capture();
    expect(await runHandoff(["--db", path, "--json"], json.io())).toBe(0);
    const h = Handoff.parse(JSON.parse(json.out()));
    expect([...h.active, ...h.resolved].map((i) => i.id).sort()).toEqual(
      [refused.id, leak.id, queue.id].sort(),
    );
    expect(h.notListed).toBe(3);

    const all = capture();
    expect(await runHandoff(["--db", path, "--json", "--include-private"], all.io())).toBe(0);
    const everything = Handoff.parse(JSON.parse(all.out()));
    expect(everything.notListed).toBe(0);
    expect(everything.active.map((i) => i.id)).toEqual(expect.arrayContaining([dm.id, priv.id, unknown.id]));
    expect(everything.active.find((i) => i.id === dm.id)?.conversationKind).toBe("im");

    const team = capture();
    expect(await runHandoff(["--db", path, "--json", "--team", "web", "--include-private"], team.io())).toBe(
      0,
    );
    const web = Handoff.parse(JSON.parse(team.out()));
    expect([...web.active, ...web.resolved].map((i) => i.id).sort()).toEqual(
      [refused.id, queue.id, priv.id].sort(),
    );
  });

  it("exits 2 on usage errors, with a message", async () => {
    for (const args of [["--since", "soon"], ["--format", "xml"], ["--bogus"], ["extra"]]) {
      const cap = capture();
      expect(await runHandoff(args, cap.io({ TATTLETALE_DB: join(dir, "x.json") }))).toBe(2);
      expect(cap.err()).toMatch(/^tattletale: .+ \(see tattletale help handoff\)\n$/);
      expect(cap.out()).toBe("");
    }
  });

  it("exits 1 on a file it cannot read, and leaves the file alone", async () => {
    const path = join(dir, "incidents.json");
    await writeFile(path, "{ half a file");
    const cap = capture();
    expect(await runHandoff([], cap.io({ TATTLETALE_DB: path }))).toBe(1);
    expect(cap.err()).toContain(`incident file ${path} could not be read`);
    expect(await readFile(path, "utf8")).toBe("{ half a file");
    expect(await readdir(dir)).toEqual(["incidents.json"]);
  });
});

describe("handoff as a real process", () => {
  const run = promisify(execFile);
  const bin = CLI_BIN;

  it("prints the same Markdown as the function, and JSON, with exit 0", async () => {
    const path = join(dir, "incidents.json");
    // The real process reads the real clock: a shift that started 11 hours ago.
    await shift(path, new Date(Date.now() - 11 * H).toISOString());
    const env = { ...process.env, TATTLETALE_DB: path };
    const md = await run(process.execPath, [bin, "handoff"], { env });
    expect(md.stdout).toMatch(/^# On-call handoff\n/);
    expect(md.stdout).toContain("1 open, 1 acknowledged, 1 resolved");
    const cap = capture();
    expect(await runHandoff([], { ...cap.io({ TATTLETALE_DB: path }), now: Date.now })).toBe(0);
    // Identical but for times, which move with the real clock between the two runs.
    const strip = (s: string) =>
      s.replace(/\d\d:\d\d UTC/g, "HH:MM UTC").replace(/\d+[hm]( \d+m)?|under a minute/g, "AGE");
    expect(strip(md.stdout)).toBe(strip(cap.out()));

    const json = await run(process.execPath, [bin, "handoff", "--format", "json"], { env });
    expect(Handoff.parse(JSON.parse(json.stdout)).counts).toEqual({ open: 1, acknowledged: 1, resolved: 1 });
  });

  it("exits 2 with a message on nonsense", async () => {
    const error = await run(process.execPath, [bin, "handoff", "--since", "nonsense"], {
      env: { ...process.env, TATTLETALE_DB: join(dir, "x.json") },
    }).catch((e: { code: number; stderr: string }) => e);
    expect(error).toMatchObject({ code: 2, stderr: expect.stringContaining('cannot read "nonsense"') });
  });
});
