// Which kinds of input the incident holds, so a rule can tell "no pool data" from "a healthy pool".
import { z } from "zod";
import { kindsOf } from "./inputs.js";
import { defineSubject, NO_NEEDS } from "./subject.js";

export const kindsSubject = defineSubject({
  doc: "The input kinds seen (`httperr`, `poolmon`, `boot-ini`…), sorted.",
  schema: z.object({ kinds: z.array(z.string()) }),
  needs: NO_NEEDS,
  derive: ({ inputs }) => ({ kinds: kindsOf(inputs) }),
});
