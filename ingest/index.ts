// ingest: bytes in from any source (CLI files, folders, stdin, .gz; Slack downloads), what the
// parsers need out. Charsets are sniffed and decoded, gzip undone, caps applied, and big HTTPERR logs
// streamed through the byte scanner (on worker threads for big files) instead of read as text.
export {
  type Caps,
  CLI_CAPS,
  MAX_TEXT_BYTES,
  PARALLEL_THRESHOLD_BYTES,
  STREAM_THRESHOLD_BYTES,
} from "./caps.js";
export { type Charset, type Decoded, decodeText } from "./decode.js";
export { type ReadOptions, readInputs, STDIN, scanHttperrFile } from "./files.js";
export { GzipError, MAX_DEFLATE_RATIO } from "./gunzip.js";
export { InputError } from "./input-error.js";
export { textInputs } from "./inputs.js";
export { ARCHIVE_NOTE, notTextNote } from "./sniff.js";
export {
  type ByteSource,
  type Bytes,
  type Ingested,
  type IngestHooks,
  ingestStream,
  scanHttperrStream,
} from "./stream.js";
export { streamedInput } from "./streamed.js";
