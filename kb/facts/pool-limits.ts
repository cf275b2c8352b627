// The non-paged pool limit from the rules of kb/data/pool-limits.yaml: the first row that fits the
// OS generation, family, architecture, boot switches and RAM gives it.
import type { PoolLimitRule } from "../data-schema.js";
import type { KnowledgeBase } from "../load.js";

export interface LimitQuery {
  generation: "nt5" | "nt6";
  family: string | null;
  arch: "x86" | "x64" | "ia64";
  threeGb: boolean;
  userVa: boolean;
  ramMb: number | null;
}

export function ruleApplies(rule: PoolLimitRule, q: LimitQuery): boolean {
  if (rule.generation !== q.generation || rule.arch !== q.arch) return false;
  if (rule.families.length > 0 && (q.family === null || !rule.families.includes(q.family))) return false;
  if (rule.threeGb !== undefined && rule.threeGb !== q.threeGb) return false;
  if (rule.userVa !== undefined && rule.userVa !== q.userVa) return false;
  if (rule.ramMbMin !== undefined && (q.ramMb === null || q.ramMb < rule.ramMbMin)) return false;
  if (rule.ramMbMax !== undefined && (q.ramMb === null || q.ramMb >= rule.ramMbMax)) return false;
  return true;
}

function limitOf(rule: PoolLimitRule, ramMb: number | null): number | null {
  if (rule.limitMb !== undefined) return rule.limitMb;
  if (ramMb === null || rule.fractionOfRam === undefined) return null;
  let mb = ramMb * rule.fractionOfRam;
  if (rule.capMb !== undefined) mb = Math.min(mb, rule.capMb);
  if (rule.floorMb !== undefined) mb = Math.max(mb, rule.floorMb);
  return Math.round(mb);
}

export function deriveLimit(
  kb: Pick<KnowledgeBase, "poolLimits">,
  q: LimitQuery,
): { rule: PoolLimitRule; limitMb: number } | null {
  for (const rule of kb.poolLimits.rules) {
    if (!ruleApplies(rule, q)) continue;
    const limitMb = limitOf(rule, q.ramMb);
    if (limitMb !== null) return { rule, limitMb };
  }
  return null;
}
