// The core's public face for bot/ and cli/: load the knowledge base once, diagnose texts, look up.

import type { ParsedInput } from "../parsers/evidence.js";
import { parseText, describeReadableKinds as readableKindsText } from "../parsers/index.js";
import type { TimedInput } from "./derive.js";
import type { Diagnosis } from "./diagnosis.js";
import { diagnose } from "./engine.js";
import { assemble, type KnowledgeBase, loadKnowledgeBaseFrom } from "./load.js";
import { readSnapshot } from "./snapshot.js";

export { resolveCommands, type Surface } from "./commands.js";
export type { Diagnosis, Finding, Reference, Severity } from "./diagnosis.js";
export type { Facts } from "./facts/index.js";
export type { KnowledgeBase } from "./load.js";
export { KbError } from "./load.js";
export { buildLookupIndex, type LookupHit, type LookupResult, lookup } from "./lookup.js";
export { diagnose, readableKindsText };

let cached: KnowledgeBase | undefined;

/** The bundled knowledge base, loaded and validated once per process (from the build's snapshot when current). */
export function loadKnowledgeBase(): KnowledgeBase {
  if (cached === undefined) {
    const snapshot = readSnapshot();
    cached = snapshot ? assemble(snapshot) : loadKnowledgeBaseFrom();
  }
  return cached;
}

export interface TextInput {
  text: string;
  source: string;
  /** When it was captured (epoch ms): Slack message time, file time. Gives growth rates. */
  at?: number;
}

/** Parses every text (each may hold several pieces) and diagnoses them together as one incident. */
export function parseTexts(texts: TextInput[]): TimedInput[] {
  return texts.flatMap(({ text, source, at }) =>
    parseText(text, source).inputs.map((input: ParsedInput) => ({ input, at })),
  );
}

export function diagnoseTexts(kb: KnowledgeBase, texts: TextInput[]): Diagnosis {
  return diagnose(kb, parseTexts(texts));
}
