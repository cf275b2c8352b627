// The payload of a netsh-servicestate input: http.sys's request queues as `netsh http show
// servicestate` lists them.
import { z } from "zod";

const count = z.number().int().nullable();

export const RequestQueue = z.object({
  /** The queue's name: the application pool for IIS; `Request queue is unnamed.` for other programs. */
  name: z.string(),
  /** True for `Request queue is unnamed.` (WinRM, WSUS, other HTTP API programs). */
  unnamed: z.boolean(),
  /** `Active`, `Disabled` (its application pool stopped)… */
  state: z.string().nullable(),
  /** `Max requests:`: the queue's length limit (the pool's queueLength). */
  maxRequests: count,
  /** Requests being served (2016/2019 and later). */
  activeRequests: count,
  /** Requests waiting in the queue (`Queued requests:`, or `Current queue size:`). */
  queuedRequests: count,
  /** `Max queued request age:` in seconds (the oldest waiting request). */
  maxQueuedAgeSeconds: z.number().nullable(),
  requestsArrived: count,
  requestsRejected: count,
  cacheHits: count,
  /** `Number of active processes attached:` (0: nothing serves the queue). */
  processes: count,
  controllerPid: count,
  /** The worker process ids (`Process IDs:` or `Processes: ID: n, image: …`). */
  pids: z.array(z.number().int()),
  /** Requests listed one by one (`verbose=yes`), when present: how many, and the oldest in seconds. */
  listedRequests: count,
  oldestListedSeconds: z.number().nullable(),
});
export type RequestQueue = z.infer<typeof RequestQueue>;

export const NetshServicestateData = z.object({
  /** `Server Session View` (the default) or `Request Queue View` (`view=requestq`), when the title was pasted. */
  view: z.enum(["session", "requestq"]).nullable(),
  queues: z.array(RequestQueue),
});
export type NetshServicestateData = z.infer<typeof NetshServicestateData>;
