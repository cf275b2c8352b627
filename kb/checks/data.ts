// `kb validate`, the tables of kb/data against each other and against the entries: every reason
// phrase and event id has the entry that fires on it, pool-limit rows can all be reached, the two
// driver tables agree, and no table text names one surface's command.
import { SURFACE_COMMAND } from "../commands.js";
import type { PoolLimitRule } from "../data-schema.js";
import { shortEventSource } from "../facts/events.js";
import { reasonPhraseId } from "../ids.js";
import type { KnowledgeBase } from "../load.js";
import { pathsRead } from "../match.js";

function checkReasons(kb: KnowledgeBase, data: string): string[] {
  const problems: string[] = [];
  kb.reasons.forEach((reason, i) => {
    const where = `${data}/reason-phrases.yaml: reasons[${i}]`;
    const id = reasonPhraseId(reason.phrase);
    const entry = kb.byId.get(id);
    if (!entry) {
      problems.push(`${where}: "${reason.phrase}" has no entry (expected ${id})`);
      return;
    }
    if (entry.category !== "httperr") {
      problems.push(`${where}: entry ${id} has category ${entry.category}, not httperr`);
    }
    if (!entry.aliases.includes(reason.phrase)) {
      problems.push(`${where}: entry ${id} does not list "${reason.phrase}" in its aliases`);
    }
    if (entry.when && !pathsRead(entry.when).includes(`httperr.reasons.${reason.phrase}`)) {
      problems.push(`${where}: the rule of entry ${id} never reads httperr.reasons.${reason.phrase}`);
    }
  });
  return problems;
}

function checkEvents(kb: KnowledgeBase, data: string): string[] {
  const problems: string[] = [];
  kb.events.forEach((event, i) => {
    const where = `${data}/event-ids.yaml: events[${i}].entry`;
    const entry = kb.byId.get(event.entry);
    if (!entry) {
      problems.push(`${where}: no entry has the id "${event.entry}" (event ${event.id})`);
      return;
    }
    const read = pathsRead(entry.when);
    const bySource = `events.bySource.${shortEventSource(event.source)}.${event.id}`;
    if (!read.includes(`events.ids.${event.id}`) && !read.includes(bySource)) {
      problems.push(
        `${where}: the rule of entry ${event.entry} reads neither events.ids.${event.id} nor ${bySource}`,
      );
    }
  });
  return problems;
}

function within(outer: [number, number], inner: [number, number]): boolean {
  return outer[0] <= inner[0] && inner[1] <= outer[1];
}

/** Whether `earlier` applies whenever `later` does, so the first-match lookup never reaches `later`. */
function shadows(earlier: PoolLimitRule, later: PoolLimitRule): boolean {
  if (earlier.pool !== later.pool) return false;
  if (earlier.generation !== later.generation || earlier.arch !== later.arch) return false;
  if (
    earlier.families.length > 0 &&
    (later.families.length === 0 || !later.families.every((f) => earlier.families.includes(f)))
  )
    return false;
  if (earlier.threeGb !== undefined && earlier.threeGb !== later.threeGb) return false;
  if (earlier.userVa !== undefined && earlier.userVa !== later.userVa) return false;
  if (earlier.pae !== undefined && earlier.pae !== later.pae) return false;
  const ram = (r: PoolLimitRule): [number, number] => [
    r.ramMbMin ?? 0,
    r.ramMbMax ?? Number.POSITIVE_INFINITY,
  ];
  if (!within(ram(earlier), ram(later))) return false;
  // A rule that scales with RAM gives no limit when RAM is unknown, and the lookup goes on.
  return earlier.limitMb !== undefined || later.fractionOfRam !== undefined;
}

function checkPoolLimits(kb: KnowledgeBase, data: string): string[] {
  const file = `${data}/pool-limits.yaml`;
  const { rules, families } = kb.poolLimits;
  const problems: string[] = [];
  rules.forEach((rule, j) => {
    const earlier = rules.slice(0, j).findIndex((r) => shadows(r, rule));
    if (earlier >= 0) {
      problems.push(
        `${file}: rules[${j}]: "${rule.id}" is never reached: "${rules[earlier]?.id}" (rules[${earlier}]) matches first; put the narrower row first`,
      );
    }
    rule.families.forEach((family, k) => {
      if (!families.some((f) => f.family === family)) {
        problems.push(`${file}: rules[${j}].families[${k}]: no family "${family}" in families`);
      }
    });
  });
  families.forEach((family, i) => {
    for (const pool of ["nonpaged", "paged"] as const) {
      if (!rules.some((r) => r.pool === pool && r.generation === family.generation)) {
        problems.push(
          `${file}: families[${i}]: no ${pool} rule covers generation ${family.generation} of "${family.family}"`,
        );
      }
    }
  });
  return problems;
}

function checkDrivers(kb: KnowledgeBase, data: string): string[] {
  const problems: string[] = [];
  for (const tag of kb.tags.values()) {
    if (tag.driver === undefined) continue;
    const known = kb.drivers.get(tag.driver.toLowerCase());
    if (known && known.vendor !== tag.vendor) {
      problems.push(
        `${data}/drivers.yaml: driver "${known.driver}": vendor "${known.vendor}", but ${data}/pool-tags.yaml gives "${tag.vendor}" for tag "${tag.tag}"`,
      );
    }
  }
  return problems;
}

/** Table text is shown on every surface, so it cannot name one surface's command. */
function checkSurfaceCommands(kb: KnowledgeBase, data: string): string[] {
  const texts: Array<[string, string]> = [
    ...[...kb.tags.values()].map((t): [string, string] => [`pool-tags.yaml: tag "${t.tag}"`, t.description]),
    ...kb.reasons.map((r, i): [string, string] => [`reason-phrases.yaml: reasons[${i}].meaning`, r.meaning]),
    ...kb.events.map((e, i): [string, string] => [`event-ids.yaml: events[${i}].meaning`, e.meaning]),
  ];
  return texts
    .filter(([, text]) => SURFACE_COMMAND.test(text))
    .map(
      ([where]) => `${data}/${where}: names one surface's command (/tattle or tattletale); say it in words`,
    );
}

/** Every cross-check of the tables; `data` names their folder in messages. */
export function checkData(kb: KnowledgeBase, data = "kb/data"): string[] {
  return [
    ...checkReasons(kb, data),
    ...checkEvents(kb, data),
    ...checkPoolLimits(kb, data),
    ...checkDrivers(kb, data),
    ...checkSurfaceCommands(kb, data),
  ];
}
