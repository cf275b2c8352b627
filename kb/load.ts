// Loads and validates the knowledge base: kb/entries/*.yaml and the tables in kb/data/. Errors name
// the file and the field (`kb/entries/boot-3gb-switch.yaml: references.0.url: Invalid URL`).
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, join, relative } from "node:path";
import type { z } from "zod";
import {
  type EventId,
  EventIdTable,
  type KnownDriver,
  KnownDriverTable,
  PoolLimitTable,
  type PoolLimitTable as PoolLimitTableType,
  type PoolTag,
  PoolTagTable,
  PublicPoolTagTable,
  type ReasonPhrase,
  ReasonPhraseTable,
  type WorkerExit,
} from "./data-schema.js";
import { KbError } from "./kb-error.js";
import { DATA_DIR, ENTRIES_DIR, PACKAGE_ROOT } from "./paths.js";
import { bySpecificity } from "./pool-tags.js";
import { Entry } from "./schema.js";

export interface KnowledgeBase {
  entries: Entry[];
  byId: Map<string, Entry>;
  /** Which file each entry came from (relative to the package root). */
  fileOf: Map<string, string>;
  /**
   * Pool tags by their exact four characters: the curated table, then the public list
   * (pool-tags-public.json) for the tags the curated table does not hold.
   */
  tags: Map<string, PoolTag>;
  /** The tags whose row is curated (researched vendor, category and source). */
  curatedTags: ReadonlySet<string>;
  /** Family rows (`Afd?`, `Acp*`), most specific first: see `findPoolTag`. */
  tagFamilies: PoolTag[];
  /** Pool tags by lower-case driver file name (`tmxpflt.sys`), for poolmon's Mapped_Driver column; curated rows first. */
  tagsByDriver: Map<string, PoolTag[]>;
  /** Third-party drivers by lower-case file name. */
  drivers: Map<string, KnownDriver>;
  poolLimits: PoolLimitTableType;
  reasons: ReasonPhrase[];
  events: EventId[];
  /** Events that say how a worker process ended (crash or hang). */
  workerExits: WorkerExit[];
}

export { KbError };

/**
 * The YAML parser, loaded on first use: a run reads the build's snapshot, and only `kb validate`,
 * the snapshot's build and a source tree newer than its snapshot read the YAML files themselves.
 */
let yamlModule: typeof import("yaml") | null = null;
function yaml(): typeof import("yaml") {
  yamlModule ??= createRequire(import.meta.url)("yaml") as typeof import("yaml");
  return yamlModule;
}

/** `evidence[2].when`: positions in brackets, names after dots. */
export function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  return path
    .map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join("");
}

function describeIssues(file: string, error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = fieldPath(issue.path);
    return `${file}: ${path === "" ? "(root)" : path}: ${issue.message}`;
  });
}

function readYaml(path: string, problems: string[]): unknown {
  const file = relative(PACKAGE_ROOT, path);
  try {
    return yaml().parse(readFileSync(path, "utf8"), { prettyErrors: true });
  } catch (error) {
    problems.push(`${file}: ${(error as Error).message.split("\n")[0]}`);
    return undefined;
  }
}

function readJson(path: string, problems: string[]): unknown {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    problems.push(`${relative(PACKAGE_ROOT, path)}: ${(error as Error).message.split("\n")[0]}`);
    return undefined;
  }
}

function loadTable<S extends z.ZodType>(
  dir: string,
  name: string,
  schema: S,
  problems: string[],
): z.infer<S> | undefined {
  const path = join(dir, name);
  // The generated public tag list is JSON: YAML parsing of its 2,000+ rows would cost a second.
  const raw = name.endsWith(".json") ? readJson(path, problems) : readYaml(path, problems);
  if (raw === undefined) return undefined;
  const result = schema.safeParse(raw);
  if (!result.success) {
    problems.push(...describeIssues(relative(PACKAGE_ROOT, path), result.error));
    return undefined;
  }
  return result.data;
}

export interface LoadOptions {
  entriesDir?: string;
  /** The tables' folder (kb/data by default). */
  dataDir?: string;
}

/** Everything the YAML files hold, validated: what the snapshot stores. */
export interface ValidatedSources {
  entries: Array<{ entry: Entry; file: string }>;
  /** The curated table (pool-tags.yaml). */
  tags: PoolTag[];
  /** The public list (pool-tags-public.json); curated rows win over it. */
  publicTags: PoolTag[];
  poolLimits: PoolLimitTableType;
  reasons: ReasonPhrase[];
  events: EventId[];
  workerExits: WorkerExit[];
  drivers: KnownDriver[];
}

/** Reads and validates every file, collecting every problem before failing, so an author sees them all at once. */
export function readSources(options: LoadOptions = {}): ValidatedSources {
  const problems: string[] = [];
  const entriesDir = options.entriesDir ?? ENTRIES_DIR;
  const entries: ValidatedSources["entries"] = [];
  for (const name of readdirSync(entriesDir).sort()) {
    if (!name.endsWith(".yaml") && !name.endsWith(".yml")) continue;
    const path = join(entriesDir, name);
    const file = relative(PACKAGE_ROOT, path);
    const raw = readYaml(path, problems);
    if (raw === undefined) continue;
    const result = Entry.safeParse(raw);
    if (!result.success) {
      problems.push(...describeIssues(file, result.error));
      continue;
    }
    if (basename(name).replace(/\.ya?ml$/, "") !== result.data.id) {
      problems.push(`${file}: id: "${result.data.id}" does not match the file name`);
    }
    const earlier = entries.find((e) => e.entry.id === result.data.id);
    if (earlier) {
      problems.push(`${file}: id: "${result.data.id}" is also the id of ${earlier.file}`);
      continue;
    }
    entries.push({ entry: result.data, file });
  }
  const dataDir = options.dataDir ?? DATA_DIR;
  const tagTable = loadTable(dataDir, "pool-tags.yaml", PoolTagTable, problems);
  const publicTagTable = loadTable(dataDir, "pool-tags-public.json", PublicPoolTagTable, problems);
  const poolLimits = loadTable(dataDir, "pool-limits.yaml", PoolLimitTable, problems);
  const reasonTable = loadTable(dataDir, "reason-phrases.yaml", ReasonPhraseTable, problems);
  const eventTable = loadTable(dataDir, "event-ids.yaml", EventIdTable, problems);
  const driverTable = loadTable(dataDir, "drivers.yaml", KnownDriverTable, problems);
  // The maps of assemble() keep one row per key, so a duplicate would silently hide the other.
  const data = relative(PACKAGE_ROOT, dataDir);
  problems.push(
    ...duplicates(tagTable?.tags.map((t) => t.tag) ?? []).map(
      (t) => `${data}/pool-tags.yaml: tag "${t}" is listed twice`,
    ),
    ...duplicates(publicTagTable?.tags.map((t) => t.tag) ?? []).map(
      (t) => `${data}/pool-tags-public.json: tag "${t}" is listed twice`,
    ),
    ...duplicates(driverTable?.drivers.map((d) => d.driver.toLowerCase()) ?? []).map(
      (d) => `${data}/drivers.yaml: driver "${d}" is listed twice`,
    ),
    ...duplicates(reasonTable?.reasons.map((r) => r.phrase) ?? []).map(
      (r) => `${data}/reason-phrases.yaml: phrase "${r}" is listed twice`,
    ),
    ...duplicates(eventTable?.events.map((e) => String(e.id)) ?? []).map(
      (id) => `${data}/event-ids.yaml: event ${id} is listed twice`,
    ),
    ...duplicates(eventTable?.workerExits.map((e) => `${e.source} ${e.id}`) ?? []).map(
      (key) => `${data}/event-ids.yaml: workerExits: ${key} is listed twice`,
    ),
  );
  if (
    problems.length > 0 ||
    !tagTable ||
    !publicTagTable ||
    !poolLimits ||
    !reasonTable ||
    !eventTable ||
    !driverTable
  ) {
    throw new KbError(problems);
  }
  return {
    entries,
    tags: tagTable.tags,
    publicTags: publicTagTable.tags,
    poolLimits,
    reasons: reasonTable.reasons,
    events: eventTable.events,
    workerExits: eventTable.workerExits,
    drivers: driverTable.drivers,
  };
}

function duplicates(keys: string[]): string[] {
  const seen = new Set<string>();
  return keys.filter((k) => seen.has(k) || !seen.add(k));
}

/** Indexes validated sources (readSources, or the build's snapshot of them). */
export function assemble(sources: ValidatedSources): KnowledgeBase {
  const byId = new Map(sources.entries.map(({ entry }) => [entry.id, entry]));
  const fileOf = new Map(sources.entries.map(({ entry, file }) => [entry.id, file]));
  // Curated rows first, so they win over the public list's row of the same tag or family.
  const tags = new Map<string, PoolTag>();
  const families = new Map<string, PoolTag>();
  for (const row of [...sources.tags, ...sources.publicTags]) {
    const into = row.family ? families : tags;
    if (!into.has(row.tag)) into.set(row.tag, row);
  }
  const tagsByDriver = new Map<string, PoolTag[]>();
  for (const tag of tags.values()) {
    if (tag.driver === undefined) continue;
    const driver = tag.driver.toLowerCase();
    const list = tagsByDriver.get(driver);
    if (list) list.push(tag);
    else tagsByDriver.set(driver, [tag]);
  }
  const drivers = new Map<string, KnownDriver>(sources.drivers.map((d) => [d.driver.toLowerCase(), d]));
  return {
    entries: sources.entries.map(({ entry }) => entry),
    byId,
    fileOf,
    tags,
    curatedTags: new Set(sources.tags.map((t) => t.tag)),
    tagFamilies: [...families.values()].sort(bySpecificity),
    tagsByDriver,
    drivers,
    poolLimits: sources.poolLimits,
    reasons: sources.reasons,
    events: sources.events,
    workerExits: sources.workerExits,
  };
}

export function loadKnowledgeBaseFrom(options: LoadOptions = {}): KnowledgeBase {
  return assemble(readSources(options));
}
