import { LogLevel } from "@slack/bolt";
import { describe, expect, it } from "vitest";
import { RedactingLogger } from "../../bot/logger.js";
import { redactSecrets } from "../../bot/redact.js";

describe("redaction", () => {
  it("hides Slack tokens by shape and configured secrets by value", () => {
    const out = redactSecrets(
      "bot xoxb-123-456-abcDEF app xapp-1-A0-99-ffff user xoxp-9-9 Authorization: Bearer abc.def secret=hunter22hunter",
      ["hunter22hunter"],
    );
    expect(out).not.toMatch(/abcDEF|A0-99-ffff|xoxp-9-9|abc\.def|hunter22hunter/);
    expect(out).toContain("xoxb-[redacted]");
  });

  it("redacts what Bolt and the Web API log, errors included, and respects the level", () => {
    const lines: string[] = [];
    const log = new RedactingLogger(["sig-secret-value"], LogLevel.INFO, (l) => lines.push(l));
    log.debug("dropped xoxb-1-2-3");
    log.info("token", { token: "xoxb-1-2-3" });
    log.error(new Error("failed with sig-secret-value"));
    expect(lines).toHaveLength(2);
    expect(lines.join("\n")).not.toMatch(/xoxb-1-2-3|sig-secret-value/);
    expect(lines[1]).toContain("ERROR");
  });
});
