// manifest.yml is what gets pasted into "Create from manifest": it must declare exactly what the
// code listens to, with only the scopes those need.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { App } from "@slack/bolt";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { BotDeps } from "../../bot/deps.js";
import { registerListeners } from "../../bot/listeners/index.js";
import { PACKAGE_ROOT } from "../../kb/paths.js";

// biome-ignore lint/suspicious/noExplicitAny: the manifest is free-form YAML
const manifest: any = parse(readFileSync(join(PACKAGE_ROOT, "manifest.yml"), "utf8"));

/** What registerListeners asks Bolt for, recorded by a stand-in App. */
function registered() {
  const seen = {
    events: [] as string[],
    commands: [] as string[],
    shortcuts: [] as unknown[],
    actions: [] as unknown[],
  };
  const app = {
    event: (name: string) => seen.events.push(name),
    command: (name: string) => seen.commands.push(name),
    shortcut: (c: unknown) => seen.shortcuts.push(c),
    action: (c: unknown) => seen.actions.push(c),
    view: () => undefined,
    message: () => undefined,
    use: () => undefined,
  } as unknown as App;
  registerListeners(app, {} as BotDeps);
  return seen;
}

describe("manifest.yml", () => {
  const code = registered();

  it("names the app and its bot user, with App Home's home and messages tabs", () => {
    expect(manifest.display_information.name).toBe("Tattletale");
    expect(manifest.features.bot_user.display_name).toBe("Tattletale");
    expect(manifest.features.app_home).toMatchObject({ home_tab_enabled: true, messages_tab_enabled: true });
    expect(manifest.settings).toMatchObject({
      socket_mode_enabled: true,
      interactivity: { is_enabled: true },
    });
  });

  it("subscribes to exactly the events the code listens to", () => {
    const events: string[] = manifest.settings.event_subscriptions.bot_events;
    const asListened = [...new Set(events.map((e) => (e.startsWith("message.") ? "message" : e)))].sort();
    expect(asListened).toEqual([...new Set(code.events)].sort());
    expect(events).toEqual(
      expect.arrayContaining(["message.channels", "message.groups", "message.im", "message.mpim"]),
    );
  });

  it("declares the slash command and the message shortcut the code registers", () => {
    expect(manifest.features.slash_commands.map((c: { command: string }) => c.command)).toEqual(
      code.commands,
    );
    const shortcuts = manifest.features.shortcuts.map((s: { callback_id: string; type: string }) => ({
      callback_id: s.callback_id,
      type: s.type === "message" ? "message_action" : s.type,
    }));
    expect(shortcuts).toEqual(code.shortcuts);
  });

  it("asks for only the scopes those need", () => {
    // files:write: the chart uploaded into the thread (bot/services/chart-upload.ts).
    const need = new Set(["commands", "chat:write", "files:read", "files:write", "app_mentions:read"]);
    for (const e of manifest.settings.event_subscriptions.bot_events as string[]) {
      const kind = /^message\.(channels|groups|im|mpim)$/.exec(e)?.[1];
      if (kind) need.add(`${kind}:history`);
    }
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...need].sort());
  });
});
