import { describe, expect, it } from "vitest";
import { loadConfig } from "../../bot/config.js";
import { configProblems } from "../support/config-problems.js";

const BOT = "xoxb-1234-5678-secretpart";

describe("loadConfig", () => {
  it("defaults to Socket Mode when the app token is there", () => {
    const c = loadConfig({ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: "xapp-1-abc" }, "/srv/tattletale");
    expect(c.mode).toBe("socket");
    expect(c.dbPath).toBe("/srv/tattletale/.tattletale/incidents.json");
    expect(c.secrets).toEqual([BOT, "xapp-1-abc"]);
  });

  it("runs in HTTP mode with a signing secret and a port, and normalises SLACK_API_URL", () => {
    const c = loadConfig(
      {
        SLACK_BOT_TOKEN: BOT,
        SLACK_SIGNING_SECRET: "abc123",
        PORT: "8080",
        SLACK_API_URL: "http://127.0.0.1:9/api",
      },
      "/w",
    );
    expect(c).toMatchObject({ mode: "http", port: 8080, slackApiUrl: "http://127.0.0.1:9/api/" });
  });

  it("names a missing bot token", () => {
    expect(configProblems({ SLACK_APP_TOKEN: "xapp-1-x" })).toContain("SLACK_BOT_TOKEN is missing");
  });

  it("says which mode needs what when neither token nor secret is set", () => {
    const msg = configProblems({ SLACK_BOT_TOKEN: BOT });
    expect(msg).toContain("SLACK_APP_TOKEN");
    expect(msg).toContain("SLACK_SIGNING_SECRET");
  });

  it("never prints a value, even a wrong one", () => {
    const msg = configProblems({
      SLACK_BOT_TOKEN: "xoxp-user-token-value",
      SLACK_APP_TOKEN: "xoxb-bot-in-the-wrong-place",
      PORT: "http",
    });
    expect(msg).toContain("SLACK_BOT_TOKEN must be a bot token");
    expect(msg).toContain("SLACK_APP_TOKEN must be an app-level token");
    expect(msg).toContain("PORT must be a TCP port");
    expect(msg).not.toContain("user-token-value");
    expect(msg).not.toContain("wrong-place");
  });

  it("reads the size caps and rejects nonsense", () => {
    const c = loadConfig({
      SLACK_BOT_TOKEN: BOT,
      SLACK_APP_TOKEN: "xapp-1",
      TATTLETALE_MAX_FILE_BYTES: "1000",
    });
    expect(c.maxFileBytes).toBe(1000);
    expect(
      configProblems({ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: "xapp-1", TATTLETALE_MAX_FILE_BYTES: "-5" }),
    ).toContain("TATTLETALE_MAX_FILE_BYTES must be a positive whole number");
  });
});
