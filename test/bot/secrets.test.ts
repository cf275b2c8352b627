// Secrets never printed: the redactor's shapes, the logger on errors and odd arguments, the process
// guards (unhandled rejections logged and survived, uncaught exceptions logged and exited), and
// configuration errors that name variables without echoing values.
import { EventEmitter } from "node:events";
import { LogLevel } from "@slack/bolt";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../bot/config.js";
import { RedactingLogger } from "../../bot/logger.js";
import { guardProcess } from "../../bot/process-guards.js";
import { redactSecrets } from "../../bot/redact.js";
import { configProblems } from "../support/config-problems.js";

const BOT = "xoxb-1234-5678-AbCdEfSecret";
const APP = "xapp-1-A0001-2222-fedcbaSecret";
const SIGNING = "8f14e45fceea167a5a36dedd4bea2543";

describe("redactSecrets", () => {
  it.each([
    ["a bot token", `token ${BOT} here`, "AbCdEfSecret"],
    ["an app token", `using ${APP}`, "fedcbaSecret"],
    ["a user token", "xoxp-1-2-3-userSecret", "userSecret"],
    ["a refresh token", "xoxe.xoxb-1-REFRESHsecret", "REFRESHsecret"],
    ["a rotating token", "xoxe-1-ROTATEsecret", "ROTATEsecret"],
    ["a bearer header", "Authorization: Bearer opaque.secret.value", "opaque.secret.value"],
    ["the verification token in JSON", '{"token":"legacyVerif123","team_id":"T1"}', "legacyVerif123"],
    ["a form token", "team_id=T1&token=legacyVerif123&x=1", "legacyVerif123"],
    ["a Socket Mode ticket", "wss://wss-primary.slack.com/link/?ticket=abc-123-def&app_id=A1", "abc-123-def"],
    ["a client secret field", '{"client_secret":"cs-987"}', "cs-987"],
  ])("hides %s", (_name, text, secret) => {
    expect(redactSecrets(text)).not.toContain(secret);
    expect(redactSecrets(text)).toContain("[redacted]");
  });

  it("hides configured secrets by value, wherever they appear, but leaves ordinary text alone", () => {
    const out = redactSecrets(`sig=${SIGNING} in ${SIGNING.toUpperCase()} ${SIGNING}`, [SIGNING]);
    expect(out.split("[redacted]").length - 1).toBe(2);
    const plain = "QueueFull on Pool1: 40 requests; tokens of the tokenizer; ticket count 3";
    expect(redactSecrets(plain, ["short"])).toBe(plain);
  });
});

describe("RedactingLogger", () => {
  const lines: string[] = [];
  const log = new RedactingLogger([BOT, APP, SIGNING], LogLevel.DEBUG, (l) => lines.push(l));

  it("redacts errors (message and stack), objects, nested data and several arguments", () => {
    lines.length = 0;
    const err = new Error(`auth failed for ${BOT}`);
    log.error("start:", err, { headers: { Authorization: `Bearer ${APP}` }, secret: SIGNING });
    log.debug({ body: { token: "verif-token-value", nested: [{ t: BOT }] } });
    const circular: Record<string, unknown> = { BOT };
    circular.self = circular;
    log.warn(circular, String(err));
    const all = lines.join("\n");
    for (const s of [BOT, APP, SIGNING, "verif-token-value", "AbCdEfSecret"]) expect(all).not.toContain(s);
    expect(all).toContain("auth failed for");
  });
});

describe("guardProcess", () => {
  it("logs an unhandled rejection, redacted, and does not exit", () => {
    const proc = new EventEmitter();
    const lines: string[] = [];
    const exits: number[] = [];
    guardProcess(proc, new RedactingLogger([SIGNING], LogLevel.INFO, (l) => lines.push(l)), (c) =>
      exits.push(c),
    );
    proc.emit("unhandledRejection", new Error(`reconnect failed with ${BOT} and ${SIGNING}`));
    proc.emit("unhandledRejection", { data: { token: BOT } });
    expect(exits).toEqual([]);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain("unhandled rejection (carrying on)");
    expect(lines.join("\n")).not.toMatch(/AbCdEfSecret|8f14e45f/);
  });

  it("logs an uncaught exception, redacted, and exits 1", () => {
    const proc = new EventEmitter();
    const lines: string[] = [];
    const exits: number[] = [];
    guardProcess(proc, new RedactingLogger([], LogLevel.INFO, (l) => lines.push(l)), (c) => exits.push(c));
    proc.emit("uncaughtException", new TypeError(`bad ${APP}`));
    expect(exits).toEqual([1]);
    expect(lines[0]).toContain("uncaught exception, exiting");
    expect(lines[0]).not.toContain("fedcbaSecret");
  });
});

describe("configuration errors never echo values", () => {
  it("refuses credentials in SLACK_API_URL without printing them", () => {
    const msg = configProblems({
      SLACK_BOT_TOKEN: BOT,
      SLACK_APP_TOKEN: APP,
      SLACK_API_URL: `https://x:${BOT}@proxy.example/api/`,
    });
    expect(msg).toContain("SLACK_API_URL must not carry credentials");
    expect(msg).not.toContain("AbCdEfSecret");
  });

  it("names every bad variable and prints none of their values", () => {
    const values = {
      SLACK_BOT_TOKEN: `  ${APP}  `,
      SLACK_APP_TOKEN: BOT,
      SLACK_API_URL: `ftp://${SIGNING}`,
      PORT: SIGNING,
      LOG_LEVEL: SIGNING,
      TATTLETALE_MAX_FILE_BYTES: SIGNING,
    };
    const msg = configProblems(values);
    for (const name of Object.keys(values)) expect(msg).toContain(name);
    for (const s of [APP, BOT, SIGNING, "fedcbaSecret", "AbCdEfSecret"]) expect(msg).not.toContain(s);
  });

  it("keeps every secret for the redactor, trimmed", () => {
    const c = loadConfig(
      { SLACK_BOT_TOKEN: ` ${BOT} `, SLACK_APP_TOKEN: APP, SLACK_SIGNING_SECRET: SIGNING },
      "/w",
    );
    expect(c.secrets).toEqual([BOT, APP, SIGNING]);
  });
});
