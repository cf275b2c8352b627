// The payload of an Event Log input: the events of the pasted text.
import { z } from "zod";

export const EventRecord = z.object({
  id: z.number().int(),
  source: z.string().nullable(),
  level: z.string().nullable(),
  time: z.string().nullable(),
  computer: z.string().nullable(),
  message: z.string(),
});
export type EventRecord = z.infer<typeof EventRecord>;

export const EventData = z.object({ events: z.array(EventRecord) });
export type EventData = z.infer<typeof EventData>;
