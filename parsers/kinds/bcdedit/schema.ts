// The payload of a bcdedit input: the entries of `bcdedit /enum` output.
import { z } from "zod";

export const BcdEntry = z.object({
  type: z.string(),
  identifier: z.string().nullable(),
  description: z.string().nullable(),
  /** Every `name value` line, lower-cased name. */
  settings: z.record(z.string(), z.string()),
  isDefault: z.boolean(),
});
export type BcdEntry = z.infer<typeof BcdEntry>;

export const BcdeditData = z.object({ entries: z.array(BcdEntry) });
export type BcdeditData = z.infer<typeof BcdeditData>;
