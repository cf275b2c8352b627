// The WebAssembly marker sets exactly the bits of the bytes that end a token (≤ 0x20 or ≥ 0x80).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsMarker, newMarker, PIECE_BYTES } from "../../../../parsers/kinds/httperr/marks.js";

function marked(bits: Int32Array, i: number): boolean {
  return ((bits[i >> 5] as number) >>> (i & 31)) % 2 === 1;
}

describe.each([
  { name: "WebAssembly", make: newMarker },
  { name: "JavaScript (no WebAssembly)", make: jsMarker },
])("marker in $name", ({ make: newMarker }) => {
  it("marks every byte ≤ 0x20 or ≥ 0x80 and no other, at any length (property)", () => {
    const m = newMarker();
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 5000 }), (bytes) => {
        m.bytes.set(bytes);
        m.mark(bytes.length);
        for (let i = 0; i < bytes.length; i++) {
          const b = bytes[i] as number;
          expect(marked(m.bits, i)).toBe(b <= 0x20 || b >= 0x80);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("marks a whole piece, and markers do not share memory", () => {
    const a = newMarker();
    const b = newMarker();
    a.bytes.fill(0x41);
    b.bytes.fill(0x20);
    a.bytes[PIECE_BYTES - 1] = 0x0a;
    a.mark(PIECE_BYTES);
    b.mark(PIECE_BYTES);
    expect(marked(a.bits, PIECE_BYTES - 1)).toBe(true);
    expect(marked(a.bits, PIECE_BYTES - 2)).toBe(false);
    expect(a.bits.slice(0, -1).every((w) => w === 0)).toBe(true);
    expect(b.bits.every((w) => w === -1)).toBe(true);
  });
});
