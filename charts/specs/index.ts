// One spec builder per chart kind.
import type { ChartInput } from "../series.js";
import type { BuiltChart } from "./common.js";
import { growingTagsSpec } from "./growing-tags.js";
import { httperrPerMinuteSpec } from "./httperr-per-minute.js";
import { poolUsageSpec } from "./pool-usage.js";

export type { BuiltChart } from "./common.js";

export function buildSpec(input: ChartInput): BuiltChart {
  switch (input.kind) {
    case "pool-usage":
      return poolUsageSpec(input);
    case "growing-tags":
      return growingTagsSpec(input);
    case "httperr-per-minute":
      return httperrPerMinuteSpec(input);
  }
}
