// Every input kind's fixtures, read as a paste is read (normalised, split, parsed through the
// registry), against the `<fixture>.expected.json` beside each (the Filebeat convention; the expected
// files were checked by hand against the fixtures): `{ inputs: [each as parse --json prints it],
// warnings }`. A new fixture without its expected file fails here.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { KINDS, ParsedInput, parseText } from "../../../parsers/index.js";

const root = import.meta.dirname;
const folders = readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory());

describe("kind fixtures", () => {
  it("has a folder of fixtures for every registered kind, and no folder for another", () => {
    expect(folders.map((d) => d.name).sort()).toEqual([...KINDS.kinds].sort());
  });

  for (const folder of folders) {
    const dir = join(root, folder.name);
    const names = readdirSync(dir).filter((n) => !n.endsWith(".ts") && !n.endsWith(".expected.json"));
    describe(folder.name, () => {
      it("has fixtures", () => expect(names.length).toBeGreaterThan(0));
      for (const name of names) {
        it(name, () => {
          const text = readFileSync(join(dir, name), "utf8");
          const expected: unknown = JSON.parse(readFileSync(join(dir, `${name}.expected.json`), "utf8"));
          const result = parseText(text, name);
          expect({ inputs: result.inputs.map((i) => KINDS.toJson(i)), warnings: result.warnings }).toEqual(
            expected,
          );
          expect(result.inputs.length).toBeGreaterThan(0);
          for (const input of result.inputs) {
            expect(input.kind).toBe(folder.name);
            expect(ParsedInput.parse(input)).toEqual(input);
          }
        });
      }
    });
  }
});
