import { describe, expect, it } from "vitest";
import { decodeText } from "../../ingest/decode.js";

const TEXT = " Tag  Type     Allocs\n MFeS Nonp  18406113\n";

describe("decodeText", () => {
  it("reads UTF-8, with or without a BOM", () => {
    expect(decodeText(Buffer.from(TEXT))).toMatchObject({ text: TEXT, encoding: "utf-8" });
    expect(decodeText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT)]))).toMatchObject({
      text: TEXT,
    });
  });

  it("reads UTF-16 as PowerShell writes it, and without a BOM", () => {
    const le = Buffer.from(TEXT, "utf16le");
    expect(decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), le]))).toMatchObject({
      text: TEXT,
      encoding: "utf-16le",
    });
    expect(decodeText(le)).toMatchObject({ text: TEXT, encoding: "utf-16le" });
    const be = Buffer.from(le).swap16();
    expect(decodeText(Buffer.concat([Buffer.from([0xfe, 0xff]), be]))).toMatchObject({ text: TEXT });
  });

  it("reads bytes that are not UTF-8 as a legacy code page (windows-1252 here)", () => {
    const latin1 = Buffer.from("Betriebssystem f\xfcr Windows\n", "latin1");
    expect(decodeText(latin1)).toMatchObject({
      text: "Betriebssystem für Windows\n",
      encoding: "windows-1252",
    });
  });

  it("calls binaries binary", () => {
    expect(decodeText(Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04]))).toEqual({
      binary: true,
    });
    expect(decodeText(Buffer.from(Array.from({ length: 400 }, (_, i) => (i * 7) % 32)))).toEqual({
      binary: true,
    });
  });
});
