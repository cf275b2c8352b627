// Pool limits from the rules of kb/data/pool-limits.yaml: for each pool (non-paged, paged) the first
// row that fits the OS generation, family, architecture, boot switches and RAM gives the figure,
// either the limit itself or only the ceiling Microsoft publishes (`bound: upper`).
import type { PoolKind, PoolLimitRule } from "../data-schema.js";
import type { KnowledgeBase } from "../load.js";

/** 32-bit Windows splits 4 GB of address space between user mode and the kernel. */
const X86_ADDRESS_SPACE_MB = 4096;

export interface LimitQuery {
  /** The pool to size; non-paged when absent. */
  pool?: PoolKind;
  generation: "nt5" | "nt6";
  family: string | null;
  arch: "x86" | "x64" | "ia64";
  threeGb: boolean;
  userVa: boolean;
  /** `/USERVA=` or `increaseuserva` in MB, when set. */
  userVaMb?: number | null;
  pae?: boolean | null;
  ramMb: number | null;
  /** The system commit limit in MB, when an input told it (poolmon's `Limit:`). */
  commitLimitMb?: number | null;
}

export interface DerivedLimit {
  rule: PoolLimitRule;
  /** The figure: the limit when `exact`, its ceiling when not. */
  limitMb: number;
  exact: boolean;
}

export function ruleApplies(rule: PoolLimitRule, q: LimitQuery): boolean {
  if (rule.pool !== (q.pool ?? "nonpaged")) return false;
  if (rule.generation !== q.generation || rule.arch !== q.arch) return false;
  if (rule.families.length > 0 && (q.family === null || !rule.families.includes(q.family))) return false;
  if (rule.threeGb !== undefined && rule.threeGb !== q.threeGb) return false;
  if (rule.userVa !== undefined && rule.userVa !== q.userVa) return false;
  if (rule.pae !== undefined && rule.pae !== (q.pae === true)) return false;
  if (rule.ramMbMin !== undefined && (q.ramMb === null || q.ramMb < rule.ramMbMin)) return false;
  if (rule.ramMbMax !== undefined && (q.ramMb === null || q.ramMb >= rule.ramMbMax)) return false;
  return true;
}

/** The address space an x86 kernel keeps: 4096 − the user space `/3GB`, `/USERVA` or `increaseuserva` gives away. */
export function kernelSpaceMb(q: Pick<LimitQuery, "threeGb" | "userVaMb">): number {
  const userMb = q.userVaMb ?? (q.threeGb ? 3072 : 2048);
  return X86_ADDRESS_SPACE_MB - userMb;
}

function limitOf(rule: PoolLimitRule, q: LimitQuery): number | null {
  let mb: number;
  if (rule.limitMb !== undefined) mb = rule.limitMb;
  else if (q.ramMb === null || rule.fractionOfRam === undefined) return null;
  else mb = q.ramMb * rule.fractionOfRam;
  if (rule.capMb !== undefined) mb = Math.min(mb, rule.capMb);
  if (rule.floorMb !== undefined) mb = Math.max(mb, rule.floorMb);
  if (rule.capByKernelSpace) mb = Math.min(mb, kernelSpaceMb(q));
  if (rule.capByCommitLimit && q.commitLimitMb != null) mb = Math.min(mb, q.commitLimitMb);
  return Math.round(mb);
}

export function deriveLimit(kb: Pick<KnowledgeBase, "poolLimits">, q: LimitQuery): DerivedLimit | null {
  for (const rule of kb.poolLimits.rules) {
    if (!ruleApplies(rule, q)) continue;
    const limitMb = limitOf(rule, q);
    if (limitMb !== null) return { rule, limitMb, exact: rule.bound === "exact" };
  }
  return null;
}
