// The reply to a paste: Block Kit built from a Diagnosis, and nothing else (pure).
import type { types } from "@slack/bolt";
import { resolveCommands } from "../../kb/commands.js";
import type { Diagnosis, Finding } from "../../kb/index.js";
import { escapeMrkdwn, inlineCode, mrkdwnLink } from "./escape.js";
import { type Block, context, fitBlocks, header, LIMITS, mrkdwnSection, truncate } from "./limits.js";
import { codeNumbers } from "./numbers.js";
import { SEVERITY_EMOJI, SEVERITY_LABEL } from "./severity.js";
import { minuteSeries, sparkline } from "./sparkline.js";

export const FEEDBACK_BLOCK_ID = "tattletale_feedback";
export const FEEDBACK_RIGHT = "feedback_right";
export const FEEDBACK_WRONG = "feedback_wrong";
/** block_id prefix of every finding section, followed by the finding id. */
export const FINDING_BLOCK_PREFIX = "finding:";

const MAX_FINDINGS = 6;
const MAX_EVIDENCE = 6;
const MAX_PASTE_NEXT = 3;
const MAX_REFERENCES = 8;

export interface RenderedMessage {
  /** Plain fallback for notifications and clients without blocks (escaped mrkdwn). */
  text: string;
  blocks: Block[];
}

export interface DiagnosisReplyOptions {
  /** The incident the feedback buttons refer to. */
  incidentId: string;
  /** Short remarks on what was read or skipped (a file too big, a binary file); user text allowed. */
  notes?: string[];
  /** More buttons for the actions row. */
  extraActions?: types.Button[];
  /** The incident's status line and buttons (take over, resolve, note), before the feedback question. */
  incident?: Block[];
}

/** What the feedback buttons carry: the incident and the finding the answer is about. */
export interface FeedbackValue {
  i: string;
  f: string | null;
}

export function feedbackValue(v: FeedbackValue): string {
  return JSON.stringify(v);
}

export function parseFeedbackValue(value: string | undefined): FeedbackValue | null {
  try {
    const v = JSON.parse(value ?? "") as Partial<FeedbackValue>;
    return typeof v.i === "string" ? { i: v.i, f: typeof v.f === "string" ? v.f : null } : null;
  } catch {
    return null;
  }
}

function byId(d: Diagnosis): Map<string, Finding> {
  return new Map(d.findings.map((f) => [f.id, f]));
}

/** The chains merged into one tree, symptom at the top, each cause indented under what it explains. */
export function chainLines(d: Diagnosis): string[] {
  const findings = byId(d);
  const children = new Map<string, string[]>();
  const roots: string[] = [];
  for (const chain of d.chains) {
    const [root] = chain;
    if (root !== undefined && !roots.includes(root)) roots.push(root);
    for (let i = 0; i + 1 < chain.length; i++) {
      const from = chain[i] as string;
      const to = chain[i + 1] as string;
      const list = children.get(from) ?? [];
      if (!list.includes(to)) list.push(to);
      children.set(from, list);
    }
  }
  const lines: string[] = [];
  const walk = (id: string, depth: number, path: Set<string>) => {
    if (path.has(id) || lines.length >= 20) return;
    const f = findings.get(id);
    const emoji = f ? SEVERITY_EMOJI[f.severity] : "•";
    const indent = "\u2003".repeat(depth);
    const title = escapeMrkdwn(f?.title ?? id);
    lines.push(`${indent}${depth > 0 ? "↳ because " : ""}${emoji} ${title} ${inlineCode(id)}`);
    const next = new Set(path).add(id);
    for (const child of children.get(id) ?? []) walk(child, depth + 1, next);
  };
  for (const root of roots) walk(root, 0, new Set());
  return lines;
}

function findingSection(f: Finding): Block {
  const evidence = f.evidence
    .slice(0, MAX_EVIDENCE)
    .map((e) => `• ${codeNumbers(escapeMrkdwn(e))}`)
    .join("\n");
  const text = `${SEVERITY_EMOJI[f.severity]} *${escapeMrkdwn(f.title)}* ${inlineCode(f.id)}\n${evidence}`;
  return mrkdwnSection(text, truncate(`${FINDING_BLOCK_PREFIX}${f.id}`, 255));
}

function unique<T>(items: T[], key: (t: T) => string = String): T[] {
  const seen = new Set<string>();
  return items.filter((t) => {
    const k = key(t);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function refusalSparkline(d: Diagnosis): string | null {
  const per = d.facts.httperr?.refusalsPerMinute;
  if (!per) return null;
  const s = minuteSeries(per);
  if (!s) return null;
  const unit = s.bucketMinutes === 1 ? "minute" : `${s.bucketMinutes} minutes`;
  return (
    `Refused connections per ${unit}, ${escapeMrkdwn(s.from)} → ${escapeMrkdwn(s.to.slice(11))} UTC: ` +
    `\`${sparkline(s.values)}\` peak \`${s.peak}\`, total \`${s.total}\``
  );
}

function inputsLine(d: Diagnosis): string {
  const parts = d.inputs.map(
    (i) =>
      `${inlineCode(i.kind)} (${i.records} ${i.records === 1 ? "record" : "records"}, ${escapeMrkdwn(i.source)})`,
  );
  return truncate(`Read: ${parts.join(" · ")}`, LIMITS.contextText);
}

function feedbackActions(d: Diagnosis, opts: DiagnosisReplyOptions): Block {
  const top = d.findings[0]?.id ?? null;
  const value = feedbackValue({ i: opts.incidentId, f: top });
  return {
    type: "actions",
    block_id: FEEDBACK_BLOCK_ID,
    elements: [
      {
        type: "button",
        action_id: FEEDBACK_RIGHT,
        text: { type: "plain_text", text: "👍 Yes", emoji: true },
        value,
      },
      {
        type: "button",
        action_id: FEEDBACK_WRONG,
        text: { type: "plain_text", text: "👎 No", emoji: true },
        value,
      },
      ...(opts.extraActions ?? []),
    ],
  };
}

/** The diagnosis reply. `d.inputs` must not be empty (see renderNothingReadable for that case). */
export function renderDiagnosis(d: Diagnosis, opts: DiagnosisReplyOptions): RenderedMessage {
  const notes = (opts.notes ?? []).map(escapeMrkdwn);
  const top = d.findings[0];
  if (!top) {
    const text = "✅ Nothing alarming in what I read.";
    return {
      text,
      blocks: fitBlocks([
        mrkdwnSection(
          `${text} None of my diagnoses fired. If the server still misbehaves, paste more of what it tattles ` +
            "(HTTPERR lines, `poolmon -b`, `boot.ini`, Event Log entries).",
        ),
        context([inputsLine(d)]),
        ...(notes.length ? [context(notes)] : []),
        ...(opts.incident ?? []),
      ]),
    };
  }
  const label = `${SEVERITY_EMOJI[top.severity]} ${SEVERITY_LABEL[top.severity]}: ${top.title}`;
  const headline = d.headline ?? top.title;
  const blocks: Block[] = [header(label), mrkdwnSection(codeNumbers(escapeMrkdwn(headline)), "headline")];

  const chain = chainLines(d);
  if (chain.length > 1) blocks.push(mrkdwnSection(`*Why*\n${chain.join("\n")}`, "chain"));
  const spark = refusalSparkline(d);
  if (spark) blocks.push(context([spark]));

  const shown = d.findings.slice(0, MAX_FINDINGS);
  for (const f of shown) blocks.push(findingSection(f));
  const hidden = d.findings.slice(MAX_FINDINGS);
  if (hidden.length > 0)
    blocks.push(context([`+${hidden.length} more: ${hidden.map((f) => inlineCode(f.id)).join(" ")}`]));

  // The plan is the diagnosis's own (kb/plan.ts): the same steps the CLI prints, in Slack's words.
  const steps = d.next_steps.map((s) => resolveCommands(s, "slack"));
  if (steps.length > 0) {
    blocks.push({ type: "divider" });
    blocks.push(
      mrkdwnSection(
        `*Next steps*\n${steps.map((s, i) => `${i + 1}. ${escapeMrkdwn(s)}`).join("\n")}`,
        "next_steps",
      ),
    );
  }
  const pasteNext = unique(shown.flatMap((f) => f.paste_next)).slice(0, MAX_PASTE_NEXT);
  if (pasteNext.length > 0)
    blocks.push(
      mrkdwnSection(
        `*Paste next in this thread*\n${pasteNext.map((p) => `• ${escapeMrkdwn(p)}`).join("\n")}`,
        "paste_next",
      ),
    );
  const refs = unique(
    shown.flatMap((f) => f.references),
    (r) => r.url,
  ).slice(0, MAX_REFERENCES);
  if (refs.length > 0)
    blocks.push(
      mrkdwnSection(
        `*References*\n${refs.map((r) => `• ${mrkdwnLink(r.url, r.title)}`).join("\n")}`,
        "references",
      ),
    );
  blocks.push(context([inputsLine(d), `Details: ${inlineCode(`/tattle ${top.id}`)}`]));
  if (notes.length) blocks.push(context(notes));
  blocks.push(...(opts.incident ?? []));
  blocks.push(context(["*Was this right?*"]));
  blocks.push(feedbackActions(d, opts));

  const text = truncate(escapeMrkdwn(`${SEVERITY_LABEL[top.severity]}: ${headline}`), LIMITS.fallbackText);
  return { text, blocks: fitBlocks(blocks) };
}
