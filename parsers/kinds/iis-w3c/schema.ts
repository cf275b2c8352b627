// The payload of an iis-w3c input: the requests of an IIS W3C access log (`u_exYYMMDD.log`).
import { z } from "zod";

/**
 * One request keyed by the W3C field names of the log's `#Fields:` line (`date`, `time`, `cs-method`,
 * `cs-uri-stem`, `sc-status`, `sc-substatus`, `sc-win32-status`, `time-taken`…); `-` is null; ports,
 * statuses, byte counts and `time-taken` (milliseconds) are numbers; everything else is the string as
 * written (W3C writes a space in a value as `+`).
 */
export const IisRecord = z.record(z.string(), z.union([z.string(), z.number(), z.null()]));
export type IisRecord = z.infer<typeof IisRecord>;

export const IisW3cData = z.object({
  /** `#Software:` (`Microsoft Internet Information Services 10.0`), when the header was pasted. */
  software: z.string().nullable(),
  /** The field names in force at the end (the last `#Fields:`, or IIS's default order). */
  fields: z.array(z.string()),
  /** How many `#Fields:` lines there were (IIS writes one more after each restart). */
  fieldSets: z.number().int(),
  records: z.array(IisRecord),
  /** Data lines that could not be read (cut short, fields missing or extra, malformed values). */
  skipped: z.number().int(),
});
export type IisW3cData = z.infer<typeof IisW3cData>;
