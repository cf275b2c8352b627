// decodeParts gives what decodeText gives, for every kind of file a person may upload, arriving in
// chunks of any size, with characters split across chunks and across the pieces it decodes.
import { describe, expect, it } from "vitest";
import { decodeParts, decodeText } from "../../ingest/decode.js";

const MB = 1024 * 1024;

function utf16(text: string, littleEndian: boolean, bom: boolean): Buffer {
  const out = Buffer.alloc(text.length * 2 + (bom ? 2 : 0));
  let at = 0;
  if (bom) {
    out.writeUInt16LE(littleEndian ? 0xfeff : 0xfffe, 0);
    at = 2;
  }
  for (let i = 0; i < text.length; i++, at += 2) {
    if (littleEndian) out.writeUInt16LE(text.charCodeAt(i), at);
    else out.writeUInt16BE(text.charCodeAt(i), at);
  }
  return out;
}

/** The body as fetch would hand it over: chunks of an odd size. */
function chunked(bytes: Buffer, size = 16_381): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.byteLength; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

describe("decodeParts", () => {
  // 3 MB of lines with two- and three-byte characters, so that chunks and pieces cut through them.
  const line = "2007-11-13 20:01:44 Größe überschritten — pool € 19 MB\n";
  const text = line.repeat(Math.ceil((3 * MB) / Buffer.byteLength(line)));
  const cases: Array<[string, Buffer]> = [
    ["UTF-8", Buffer.from(text, "utf8")],
    ["UTF-8 with a BOM", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, "utf8")])],
    ["UTF-16LE with a BOM", utf16(text, true, true)],
    ["UTF-16BE with a BOM", utf16(text, false, true)],
    ["UTF-16LE without a BOM", utf16(text.replace(/[^\x20-\x7e\n]/g, "x"), true, false)],
    ["a legacy code page", Buffer.from(text.replace(/[—€]/g, "-"), "latin1")],
    ["binary", Buffer.concat([Buffer.from([0, 1, 2, 3, 0, 0, 7]), Buffer.alloc(2 * MB, 1)])],
    ["small", Buffer.from("2007-11-13 20:01:44 Größe\n")],
  ];
  for (const [name, bytes] of cases) {
    it(`decodes ${name} as decodeText does, in pieces that make up the text`, async () => {
      const got = await decodeParts(chunked(bytes), bytes.byteLength);
      const whole = decodeText(bytes);
      if ("binary" in whole) return expect(got).toEqual(whole);
      expect("text" in got && got.text).toBe(whole.text);
      expect("encoding" in got && got.encoding).toBe(whole.encoding);
      if ("parts" in got) {
        expect(got.parts.join("")).toBe(whole.text);
        if (bytes.byteLength > MB) expect(got.parts.length).toBeGreaterThan(1);
      }
    });
  }

  it("keeps whole lines only when told the body was cut", async () => {
    const bytes = Buffer.from(`${text}half a li`, "utf8");
    const got = await decodeParts(chunked(bytes), bytes.byteLength, { wholeLines: true });
    expect("text" in got && got.text).toBe(text);
  });
});
