// The bot figure: signed `message` events into the real HTTP receiver until the reply's
// chat.postMessage reaches the fake Slack Web API, at a fixed rate. Needs the bot and
// test/support/fake-slack.ts; until they exist it reports why it did not run.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export interface BotFigure {
  ok: boolean;
  p50: number;
  p99: number;
  events: number;
  errors: number;
  note: string;
}

const distRoot = join(dirname(fileURLToPath(import.meta.url)), "..");

export async function benchBot(opts: { rate: number; seconds: number }): Promise<BotFigure> {
  const fake = join(distRoot, "test", "support", "fake-slack.js");
  const app = join(distRoot, "bot", "app.js");
  if (!existsSync(fake) || !existsSync(app)) {
    return {
      ok: false,
      p50: Number.NaN,
      p99: Number.NaN,
      events: 0,
      errors: 0,
      note: `not ready: needs dist/bot/app.js and dist/test/support/fake-slack.js (${opts.rate}/s for ${opts.seconds} s)`,
    };
  }
  return {
    ok: false,
    p50: Number.NaN,
    p99: Number.NaN,
    events: 0,
    errors: 0,
    note: "bot harness not written yet",
  };
}
