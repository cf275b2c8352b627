import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { decodeText, sniffCharset, toUtf8 } from "../../ingest/decode.js";

const require = createRequire(import.meta.url);

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

describe("decodeText: what Windows tools write", () => {
  const GERMAN =
    "Der Server konnte keinen Speicher aus dem nicht ausgelagerten Pool zuweisen. Größe: 19 MB\r\n";

  it("reads big-endian UTF-16 without a mark, from its NUL pattern", () => {
    const be = Buffer.from(TEXT, "utf16le").swap16();
    expect(decodeText(be)).toEqual({ text: TEXT, encoding: "utf-16be" });
  });

  it("reads cmd's OEM code page (cp850) and the ANSI one (windows-1252) apart", () => {
    const iconv = require("iconv-lite") as typeof import("iconv-lite");
    expect(decodeText(iconv.encode(GERMAN, "cp850"))).toEqual({ text: GERMAN, encoding: "cp850" });
    expect(decodeText(iconv.encode(GERMAN, "windows-1252"))).toEqual({
      text: GERMAN,
      encoding: "windows-1252",
    });
    // windows-1252's typographic quotes are letters in cp850 (’ is Æ there): still windows-1252.
    const quotes = "The server can’t allocate – “nonpaged pool” is empty…\n";
    expect(decodeText(iconv.encode(quotes, "windows-1252"))).toEqual({
      text: quotes,
      encoding: "windows-1252",
    });
  });

  it("takes bytes that are not valid UTF-8 anywhere as a legacy code page", () => {
    const mostlyAscii = Buffer.concat([Buffer.from("a".repeat(100_000)), Buffer.from([0x20, 0xe9, 0x0a])]);
    expect(decodeText(mostlyAscii)).toMatchObject({ encoding: "windows-1252" });
    expect((decodeText(mostlyAscii) as { text: string }).text.endsWith(" é\n")).toBe(true);
    // Cut in the middle of a character (a capped read) is still UTF-8.
    const cut = Buffer.from("Größe").subarray(0, 3);
    expect(decodeText(cut, false)).toMatchObject({ encoding: "utf-8" });
  });
});

describe("toUtf8: a stream in any charset, as UTF-8 bytes for the byte scanner", () => {
  async function collect(chunks: Uint8Array[], sniffed: ReturnType<typeof sniffCharset>): Promise<string> {
    const out: Uint8Array[] = [];
    for await (const c of toUtf8(
      (async function* () {
        yield* chunks;
      })(),
      sniffed,
    ))
      out.push(c);
    return Buffer.concat(out).toString("utf8");
  }

  it("gives the same text whatever the chunks, a code unit or a mark split across them", async () => {
    const text = `${TEXT}Größe ✓ 𝄞\n`;
    for (const [bytes, charset] of [
      [Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]), "utf-16le"],
      [Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), "utf-8"],
      [Buffer.from(text, "utf16le").swap16(), "utf-16be"],
    ] as const) {
      const sniffed = sniffCharset(bytes);
      expect(sniffed.charset).toBe(charset);
      for (const size of [1, 3, 7, 4096]) {
        const chunks = Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) =>
          bytes.subarray(i * size, (i + 1) * size),
        );
        expect(await collect(chunks, sniffed), `${charset} in chunks of ${size}`).toBe(text);
      }
    }
  });
});
