// The one place kb reads parsed inputs. The parsers own the payload of each input kind and its
// field name; kb asks for "the poolmon snapshots" through ofKind, so when a payload moves only this
// file changes.
import type {
  BcdEntry,
  BootConfig,
  EventRecord,
  HttperrSummary,
  ParsedInput,
  ParsedOf,
  PoolCounters,
  PoolmonSnapshot,
} from "../../parsers/evidence.js";

/** A parsed input and when it was captured (Slack message time, file time), when known. */
export interface TimedInput {
  input: ParsedInput;
  at?: number;
}

/** What each input kind carries, as the facts read it. */
export interface Payloads {
  httperr: HttperrSummary;
  poolmon: PoolmonSnapshot;
  "boot-ini": BootConfig;
  bcdedit: BcdEntry[];
  event: EventRecord[];
  "pool-counters": PoolCounters;
}
export type PayloadKind = keyof Payloads;

const PAYLOAD: { [K in PayloadKind]: (input: ParsedOf<K>) => Payloads[K] } = {
  httperr: (input) => input.data.summary,
  poolmon: (input) => input.data,
  "boot-ini": (input) => input.data,
  bcdedit: (input) => input.data.entries,
  event: (input) => input.data.events,
  "pool-counters": (input) => input.data,
};

export interface Timed<T> {
  payload: T;
  /** Capture time (epoch ms), when the surface knew it. */
  at?: number;
}

/** The payloads of every input of one kind, in input order, with their capture times. */
export function ofKind<K extends PayloadKind>(inputs: TimedInput[], kind: K): Array<Timed<Payloads[K]>> {
  const out: Array<Timed<Payloads[K]>> = [];
  for (const { input, at } of inputs) {
    if (input.kind === kind) out.push({ payload: PAYLOAD[kind](input as ParsedOf<K>), at });
  }
  return out;
}

/** The input kinds seen, sorted. */
export function kindsOf(inputs: TimedInput[]): string[] {
  return [...new Set(inputs.map((t) => t.input.kind))].sort();
}
