// `findstr /m /l TAG *.sys` / Select-String output, as an input kind: each search is a record.
import { defineKind } from "../module.js";
import { findstrTagsLines } from "./lines.js";
import { parseFindstrTags } from "./parse.js";
import { FindstrTagsData, TagSearch } from "./schema.js";

export const findstrTags = defineKind({
  kind: "findstr-tags",
  label: "findstr output naming the drivers of a pool tag",
  reads: "`findstr /m TAG *.sys`",
  schema: FindstrTagsData,
  lines: findstrTagsLines,
  parse: (text, source) => [parseFindstrTags(text, source)],
  records: (data) => data.searches,
  recordSchema: TagSearch,
  isEmpty: (data) => data.searches.every((s) => s.tag === null && s.files.length === 0),
});
