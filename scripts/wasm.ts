// `npm run wasm`: compiles the scanner's fast path and writes parsers/kinds/httperr/lines-wasm.ts
// (see compile-wasm.ts). Commit the result.
import { writeFileSync } from "node:fs";
import { compileLines, LINES_MODULE, linesModuleText } from "./compile-wasm.js";

const bytes = compileLines();
writeFileSync(LINES_MODULE, linesModuleText(bytes));
process.stdout.write(`wrote parsers/kinds/httperr/lines-wasm.ts (${bytes.length} bytes of WebAssembly)\n`);
