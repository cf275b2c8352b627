// File downloads: only from where Slack said the file is, with the bot token only to Slack (or the
// configured Web API host), capped in size and in time, with a clear note when a file is not read.
import { once } from "node:events";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../support/bot-harness.js";
import { deliverMessage, founding, visibleText } from "./helpers.js";

/** A server that is not Slack, recording what reaches it. */
class Trap {
  readonly hits: IncomingHttpHeaders[] = [];
  private server!: Server;
  origin = "";
  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      this.hits.push(req.headers);
      res.writeHead(200, { "Content-Type": "text/plain" });
      res.end(founding("httperr1.log"));
    });
    this.server.listen(0, "127.0.0.1");
    await once(this.server, "listening");
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  close(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}

function fileObject(id: string, url: string) {
  return { id, name: `${id}.log`, mimetype: "text/plain", filetype: "text", url_private_download: url };
}

describe("file downloads", () => {
  let h: Harness;
  const trap = new Trap();
  beforeAll(() => trap.start());
  afterAll(() => trap.close());
  afterEach(async () => h?.close());

  async function dm(files: unknown[], channel = "DONCALL") {
    const m = h.fake.addMessage(channel, { user: "UONCALL", files });
    await deliverMessage(h, "http", m, { channel, channelType: "im" });
    const [reply] = await h.fake.waitForCalls("chat.postMessage");
    return visibleText(reply);
  }

  it("a file URL on another host or port is not fetched at all, token or not", async () => {
    h = await startHarness("http");
    const seen = await dm([
      fileObject("FTRAP1", `${trap.origin}/files/FTRAP1/a.log`),
      { ...fileObject("FTRAP2", ""), url_private_download: undefined, url_private: `${trap.origin}/x` },
      fileObject("FTRAP3", `https://files.slack.com@${trap.origin.slice(7)}/y`),
    ]);
    expect(trap.hits).toEqual([]);
    expect(seen.match(/refused to send the bot token/g)?.length).toBe(3);
  });

  it("a redirect from Slack's file URL to another host is not followed with the token", async () => {
    h = await startHarness("http");
    const file = h.fake.addFile({ name: "r.log", mimetype: "text/plain", filetype: "text", content: "x" });
    h.fake.failFile(file.id, { redirectTo: `${trap.origin}/stolen` });
    const seen = await dm([file]);
    expect(h.fake.downloads).toEqual([{ fileId: file.id, auth: "bot" }]);
    expect(trap.hits).toEqual([]);
    expect(seen).toContain(`refused to send the bot token to ${trap.origin}`);
  });

  it("a download that stalls past TATTLETALE_DOWNLOAD_TIMEOUT_MS is given up with a clear note", async () => {
    h = await startHarness("http", { env: { TATTLETALE_DOWNLOAD_TIMEOUT_MS: "300" } });
    const file = h.fake.addFile({
      name: "slow.log",
      mimetype: "text/plain",
      filetype: "text",
      content: founding("httperr1.log"),
    });
    h.fake.failFile(file.id, { stallMs: 5000 });
    const seen = await dm([file]);
    expect(seen).toContain(
      "slow.log could not be downloaded (took longer than 0.3 s (`TATTLETALE_DOWNLOAD_TIMEOUT_MS`))",
    );
  });

  it("an endless download is cut at TATTLETALE_MAX_FILE_BYTES, read up to there, and the connection closed", async () => {
    h = await startHarness("http", { env: { TATTLETALE_MAX_FILE_BYTES: "200000" } });
    const file = h.fake.addFile({
      name: "endless.log",
      mimetype: "text/plain",
      filetype: "text",
      content: founding("httperr1.log"),
    });
    h.fake.failFile(file.id, { endless: true });
    const seen = await dm([file]);
    expect(seen).toContain("httperr-connections-refused");
    expect(seen).toContain("I read its first 0.2 MB only (`TATTLETALE_MAX_FILE_BYTES`)");
    await h.fake.waitFor(() => h.fake.endlessClosed === 1, 10_000, "the download to be closed");
  });
});
