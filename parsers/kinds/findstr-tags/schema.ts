// The payload of a findstr-tags input: which driver files hold a pool tag's four characters, as
// `findstr /m /l TAG *.sys` or PowerShell's Select-String printed them.
import { z } from "zod";

export const TagSearch = z.object({
  /** The tag searched for, four characters (`Ddk ` from `/c:"Ddk "`, padded like poolmon's tags); null when the command was not pasted or searched several words at once. */
  tag: z.string().nullable(),
  /** `findstr` or `Select-String`. */
  tool: z.enum(["findstr", "select-string"]),
  /** The command line as typed, when pasted. */
  command: z.string().nullable(),
  /** The files it printed, as printed (relative names or full paths), in order. */
  files: z.array(z.string()),
  /** The files' names without their folder (`mfeavfk.sys`). */
  drivers: z.array(z.string()),
});
export type TagSearch = z.infer<typeof TagSearch>;

export const FindstrTagsData = z.object({ searches: z.array(TagSearch) });
export type FindstrTagsData = z.infer<typeof FindstrTagsData>;
