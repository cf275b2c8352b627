// Pool tags as facts: a poolmon row with its size, its share of the pool, and the driver and vendor
// behind it, from the tag table, else poolmon's Mapped_Driver column and the drivers table.
import { z } from "zod";
import type { PoolRow } from "../../parsers/evidence.js";
import type { KnowledgeBase } from "../load.js";

export const BYTES_PER_MB = 1024 * 1024;

export const PoolTypeFact = z.enum(["Nonp", "Paged"]);

export const TagFact = z.object({
  tag: z.string(),
  type: PoolTypeFact,
  mb: z.number(),
  /** Share of the pool of its type in use, 0..1 (null when the pool total is unknown). */
  share: z.number().nullable(),
  driver: z.string().nullable(),
  vendor: z.string().nullable(),
  product: z.string().nullable(),
  category: z.string().nullable(),
  /** What the allocations are in a few words (`Event objects`, `Token objects`): the tag table's description up to its first stop. */
  description: z.string().nullable(),
  /**
   * Where the driver/vendor came from: the tag table, poolmon's Mapped_Driver column, `findstr`
   * over the server's driver files, or nothing.
   */
  known: z.enum(["table", "mapped-driver", "findstr", "unknown"]),
  referenceUrl: z.string().nullable(),
});
export type TagFact = z.infer<typeof TagFact>;

/** `Process objects: one per process, kept while…` → `Process objects`. */
export function shortDescription(text: string): string {
  const head = text.split(/[:;.(]|, /)[0]?.trim() ?? "";
  return head === "" ? text.trim() : head;
}

export function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

/** A row as a fact; `poolMb` is the pool in use of its type, for the share. */
export function describeTag(kb: KnowledgeBase, row: PoolRow, poolMb: number | null): TagFact {
  const share = poolMb && poolMb > 0 ? Math.min(1, row.bytes / BYTES_PER_MB / poolMb) : null;
  const base = {
    tag: row.tag,
    type: row.type,
    mb: round1(row.bytes / BYTES_PER_MB),
    share: share === null ? null : Math.round(share * 1000) / 1000,
  };
  const known = kb.tags.get(row.tag);
  const mapped = row.mappedDriver?.match(/[\w.-]+\.sys/i)?.[0] ?? null;
  // A public-list row that does not name its binary gives way to poolmon's Mapped_Driver column.
  if (known && (known.driver !== undefined || mapped === null)) {
    return {
      ...base,
      driver: known.driver ?? null,
      vendor: known.vendor ?? null,
      product: known.product ?? null,
      category: known.category,
      description: shortDescription(known.description),
      known: "table",
      referenceUrl: known.source,
    };
  }
  if (mapped) {
    const key = mapped.toLowerCase();
    const byDriver = kb.drivers.get(key) ?? kb.tagsByDriver.get(key)?.[0];
    return {
      ...base,
      driver: mapped,
      vendor: byDriver?.vendor ?? null,
      product: byDriver?.product ?? null,
      category: byDriver?.category ?? null,
      description: null,
      known: "mapped-driver",
      referenceUrl: byDriver?.source ?? null,
    };
  }
  return {
    ...base,
    driver: null,
    vendor: null,
    product: null,
    category: null,
    description: null,
    known: "unknown",
    referenceUrl: null,
  };
}

/**
 * A tag the table and poolmon could not name, named by `findstr /m /l TAG *.sys` output (tag →
 * driver files that contain it). One file names the driver; several leave it ambiguous (the tag is
 * a common string), so the tag stays unknown. The drivers table then gives the vendor.
 */
export function withFindstrDriver(
  kb: KnowledgeBase,
  tag: TagFact,
  byTag: Readonly<Record<string, ReadonlyArray<string>>> | null,
): TagFact {
  if (tag.known !== "unknown" || byTag === null) return tag;
  const files = byTag[tag.tag] ?? byTag[tag.tag.trim()] ?? [];
  const file = files.length === 1 ? (files[0] as string).split(/[\\/]/).pop() : undefined;
  if (file === undefined || file === "") return tag;
  const known = kb.drivers.get(file.toLowerCase());
  return {
    ...tag,
    driver: file,
    vendor: known?.vendor ?? null,
    product: known?.product ?? null,
    category: known?.category ?? null,
    known: "findstr",
    referenceUrl: known?.source ?? null,
  };
}
