// Which driver files hold a pool tag, as `findstr /m /l TAG *.sys` (or Select-String) found them:
// the way to name the driver of a tag no table knows. Null when no such search was pasted.
import { z } from "zod";
import { ofKind } from "./inputs.js";
import { defineSubject, NO_NEEDS } from "./subject.js";

export const TagDriverFacts = z.object({
  /**
   * Tag (four characters, padded like poolmon's: `Ddk `) → the driver files the search printed, as
   * named (`mfeavfk.sys`); an empty list when the search found the tag in no file. Several files:
   * the tag is a common string, and which one allocates it is not proven.
   */
  byTag: z.record(z.string(), z.array(z.string())),
});
export type TagDriverFacts = z.infer<typeof TagDriverFacts>;

export const tagDriversSubject = defineSubject({
  doc: "Pool tag → the driver files a findstr (or Select-String) search over *.sys named.",
  schema: z.object({ tagDrivers: TagDriverFacts.nullable() }),
  needs: NO_NEEDS,
  derive({ inputs }) {
    const byTag: Record<string, string[]> = {};
    for (const { payload } of ofKind(inputs, "findstr-tags")) {
      for (const s of payload.searches) {
        if (s.tag === null) continue;
        const list = byTag[s.tag] ?? [];
        for (const d of s.drivers) if (!list.includes(d)) list.push(d);
        byTag[s.tag] = list;
      }
    }
    return { tagDrivers: Object.keys(byTag).length === 0 ? null : { byTag } };
  },
});
