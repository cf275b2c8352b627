// Child process of the benchmark: loads the knowledge base, builds the lookup index, says "ready".
// The parent times from spawn to that line: the start-up a user waits for.
import { loadKnowledgeBase } from "../kb/index.js";
import { buildLookupIndex } from "../kb/lookup.js";

buildLookupIndex(loadKnowledgeBase());
process.stdout.write("ready\n");
