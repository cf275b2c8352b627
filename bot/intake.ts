// Events in. Bolt acknowledges an Events API request before any middleware runs; for a message or
// a mention, a paste, the acknowledgement here waits until its listener has stored the paste
// durably (ThreadDiagnoser.accept), so that an acknowledged paste is never lost, whatever happens
// to the process next. Other events are acknowledged at once, as Bolt does. Every event being
// handled is counted, so that a stop can wait for them.
import { AsyncLocalStorage } from "node:async_hooks";
import type { App, Logger } from "@slack/bolt";

type ProcessEvent = App["processEvent"];
type ReceiverEvent = Parameters<ProcessEvent>[0];

/** The event being handled, when its listener decides that Slack must not be told it was received. */
const handling = new AsyncLocalStorage<{ refused?: Error }>();

/**
 * Called by a listener of a paste that could not be stored (a shared store's database is out of
 * reach): Slack gets no acknowledgement (HTTP 500; Socket Mode: no ack), so it sends the event again
 * later, to this replica or another. False when no acknowledgement is pending here.
 */
export function refuseAcknowledgement(reason: Error): boolean {
  const state = handling.getStore();
  if (!state) return false;
  state.refused = reason;
  return true;
}

/** Event types whose acknowledgement waits for their listener: the pastes. */
const ACK_AFTER_LISTENER = new Set(["message", "app_mention"]);

export class EventIntake {
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly logger: Logger) {}

  /** Events being handled right now. */
  get busy(): number {
    return this.inFlight.size;
  }

  install(app: App): void {
    const original: ProcessEvent = app.processEvent.bind(app);
    app.processEvent = (event: ReceiverEvent) => {
      const run = this.process(original, event);
      this.inFlight.add(run);
      void run.finally(() => this.inFlight.delete(run)).catch(() => undefined);
      return run;
    };
  }

  private async process(original: ProcessEvent, event: ReceiverEvent): Promise<void> {
    const body = event.body as { type?: unknown; event?: { type?: unknown } } | undefined;
    const type = body?.type === "event_callback" ? body.event?.type : undefined;
    if (typeof type !== "string" || !ACK_AFTER_LISTENER.has(type)) return original(event);
    let acked = false;
    const ack = async () => {
      if (acked) return;
      acked = true;
      try {
        await event.ack();
      } catch (err) {
        // Too late (Bolt already answered Slack after 3 s): Slack will retry, and the retry is a duplicate.
        this.logger.warn(`could not acknowledge an event: ${(err as Error).message}`);
      }
    };
    const state: { refused?: Error } = {};
    try {
      await handling.run(state, () => original({ ...event, ack: async () => undefined }));
    } finally {
      if (!state.refused) await ack();
    }
    if (state.refused) throw state.refused;
  }

  /** Waits for the events being handled, up to `deadlineMs`; true when none is left. */
  async drain(deadlineMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), deadlineMs);
    });
    const drained = (async () => {
      while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
      return true as const;
    })();
    const done = await Promise.race([drained, deadline]);
    clearTimeout(timer);
    return done;
  }
}
