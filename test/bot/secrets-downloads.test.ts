// The bot token goes with a file download only to Slack's file hosts (or the configured Web API
// host, for tests and proxies), never to a host an event or a redirect names otherwise.
import { describe, expect, it } from "vitest";
import {
  type FileReaderOptions,
  readSlackFile,
  seconds,
  slackOriginPolicy,
} from "../../bot/services/files.js";

const TOKEN = "xoxb-1-2-downloadSecret";

describe("slackOriginPolicy", () => {
  const policy = slackOriginPolicy("http://127.0.0.1:4321/api/");
  it.each([
    "https://files.slack.com",
    "https://slack.com",
    "https://a.slack-edge.com",
    "https://files-origin.slack-files.com",
    "http://127.0.0.1:4321",
  ])("allows %s", (origin) => expect(policy(origin)).toBe(true));
  it.each([
    "http://files.slack.com",
    "https://files.slack.com.evil.example",
    "https://evilslack.com",
    "https://slack.com.evil.example",
    "https://files.slack.com:8443",
    "http://127.0.0.1:4322",
    "http://localhost:4321",
    "https://xn--slck-loa.com",
  ])("refuses %s", (origin) => expect(policy(origin)).toBe(false));
});

describe("readSlackFile", () => {
  function recordingFetch(routes: Record<string, () => Response>) {
    const seen: Array<{ url: string; auth: string | null }> = [];
    const f = (async (input: URL | string, init?: RequestInit) => {
      const url = String(input);
      seen.push({ url, auth: new Headers(init?.headers).get("authorization") });
      const route = routes[url];
      return route ? route() : new Response("not found", { status: 404 });
    }) as typeof fetch;
    return { f, seen };
  }
  const opts = (f: typeof fetch): FileReaderOptions => ({
    token: TOKEN,
    maxBytes: 1000,
    timeoutMs: 1000,
    allowedOrigins: slackOriginPolicy(),
    fetch: f,
  });
  const client = {} as never;

  it("sends the token to Slack's file URL, follows a redirect within Slack, refuses one out of it", async () => {
    const { f, seen } = recordingFetch({
      "https://files.slack.com/files-pri/T1-F1/a.log": () =>
        new Response(null, { status: 302, headers: { location: "https://files.slack.com/files-tmb/a.log" } }),
      "https://files.slack.com/files-tmb/a.log": () =>
        new Response(null, { status: 302, headers: { location: "https://cdn.evil.example/a.log" } }),
    });
    const read = await readSlackFile(
      client,
      { id: "F1", name: "a.log", url_private_download: "https://files.slack.com/files-pri/T1-F1/a.log" },
      opts(f),
    );
    expect(read).toMatchObject({
      ok: false,
      note: expect.stringContaining("refused to send the bot token to https://cdn.evil.example"),
    });
    expect(seen.map((s) => s.url)).toEqual([
      "https://files.slack.com/files-pri/T1-F1/a.log",
      "https://files.slack.com/files-tmb/a.log",
    ]);
    expect(seen.every((s) => s.auth === `Bearer ${TOKEN}`)).toBe(true);
  });

  it("never calls fetch for a URL off Slack, and caps what it reads", async () => {
    const { f, seen } = recordingFetch({
      "https://files.slack.com/big.log": () => new Response("line\n".repeat(1000)),
    });
    const off = await readSlackFile(
      client,
      { id: "F2", name: "x.log", url_private: "https://evil.example/x" },
      opts(f),
    );
    expect(off.ok).toBe(false);
    expect(seen).toEqual([]);
    const big = await readSlackFile(
      client,
      { id: "F3", name: "big.log", url_private: "https://files.slack.com/big.log" },
      opts(f),
    );
    expect(big).toMatchObject({ ok: true, bytes: 1000 });
    expect(big.ok && big.note).toContain("TATTLETALE_MAX_FILE_BYTES");
  });

  it("says how long it waited, sub-second limits included", () => {
    expect(seconds(300)).toBe("0.3 s");
    expect(seconds(2500)).toBe("2.5 s");
    expect(seconds(30_000)).toBe("30 s");
  });
});
