// netsh http show servicestate: the request queues, 2012 R2 to 2022, both views.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ParsedInput } from "../../../../parsers/evidence.js";
import { parseNetshServicestate } from "../../../../parsers/kinds/netsh-servicestate/parse.js";

const dir = import.meta.dirname;
const fixture = (name: string): string => readFileSync(join(dir, name), "utf8");

describe("parseNetshServicestate", () => {
  it("reads 2019's queue counters and skips the URL groups' references to queues", () => {
    const p = parseNetshServicestate(fixture("2019-server-session-view-counters.txt"), "n");
    expect(ParsedInput.parse(p)).toEqual(p);
    expect(p.data.view).toBe("session");
    expect(p.data.queues.map((q) => q.name)).toEqual(["OrdersApi", "Request queue is unnamed."]);
    expect(p.data.queues[0]).toMatchObject({
      state: "Active",
      maxRequests: 5000,
      activeRequests: 100,
      queuedRequests: 212,
      maxQueuedAgeSeconds: 131,
      requestsArrived: 48113,
      requestsRejected: 0,
      processes: 1,
      controllerPid: 2288,
      pids: [7344],
    });
    expect(p.data.queues[1]).toMatchObject({ unnamed: true, pids: [1412] });
  });

  it("reads 2012 R2, which does not count queued requests (null, not 0)", () => {
    const q = parseNetshServicestate(fixture("2012r2-server-session-view.txt"), "n").data.queues;
    expect(q).toHaveLength(1);
    expect(q[0]).toMatchObject({
      name: "DefaultAppPool",
      queuedRequests: null,
      maxRequests: 1000,
      pids: [3844],
    });
  });

  it("leaves out a process id too long to be a number (found by the property test)", () => {
    const text = fixture("2012r2-server-session-view.txt").replace(
      /^(\s*)3844$/m,
      "$13844\n$199999999999999999999",
    );
    const p = parseNetshServicestate(text, "n");
    expect(p.data.queues[0]?.pids).toEqual([3844]);
    expect(ParsedInput.parse(p)).toEqual(p);
  });

  it("reads the request queue view, a disabled queue with its rejections", () => {
    const q = parseNetshServicestate(fixture("2022-request-queue-view.txt"), "n").data;
    expect(q.view).toBe("requestq");
    expect(q.queues.find((x) => x.name === "Shop")).toMatchObject({
      state: "Disabled",
      processes: 0,
      requestsRejected: 1192,
      pids: [],
    });
  });

  it("reads verbose=yes request lists (the oldest, in seconds) and Current queue size", () => {
    const q = parseNetshServicestate(fixture("2016-requestq-verbose.txt"), "n").data.queues;
    expect(q[0]).toMatchObject({ name: "ReportsPool", listedRequests: 3, oldestListedSeconds: 94 });
    expect(q[1]).toMatchObject({ name: "DefaultAppPool", queuedRequests: 0 });
  });

  it("keeps working when Slack stripped the indentation", () => {
    const flat = fixture("2019-server-session-view-counters.txt").replace(/^[ \t]+/gm, "");
    expect(parseNetshServicestate(flat, "n").data.queues).toEqual(
      parseNetshServicestate(fixture("2019-server-session-view-counters.txt"), "n").data.queues,
    );
  });

  it("never throws", () => {
    for (const junk of [
      "",
      "Request queue name:",
      "Queued requests: x",
      "Max queued request age: s",
      ":".repeat(5000),
    ]) {
      expect(() => parseNetshServicestate(junk, "j")).not.toThrow();
    }
    expect(parseNetshServicestate("hello", "j").warnings.join()).toMatch(/no request queues/);
  });
});
