// The message of the ConfigError that loadConfig throws for an environment, for config tests.
import { expect } from "vitest";
import { ConfigError, loadConfig } from "../../bot/config.js";

export function configProblems(env: Record<string, string>): string {
  try {
    loadConfig(env, "/tmp/x");
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error("expected a ConfigError");
}
