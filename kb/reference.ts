// A reference a user can follow: every KB fact carries one. Its own module because the data
// tables, the entries and the diagnosis all use it, and the diagnosis also depends on the facts.
import { z } from "zod";

export const Reference = z.object({ title: z.string().min(1), url: z.url({ protocol: /^https$/ }) });
export type Reference = z.infer<typeof Reference>;
