// Sizes for people, in SI units everywhere Tattletale prints one: kB = 10^3 bytes, MB = 10^6,
// GB = 10^9 (what file managers and `ls -lh --si` say).

export const KB = 1000;
export const MB = 1000 * KB;
export const GB = 1000 * MB;

/** `812 bytes`, `19.5 kB`, `5.2 MB`, `1.3 GB`: one decimal from kB up. */
export function formatBytes(bytes: number): string {
  if (bytes < KB) return `${bytes} byte${bytes === 1 ? "" : "s"}`;
  if (bytes < MB) return `${(bytes / KB).toFixed(1)} kB`;
  if (bytes < GB) return `${(bytes / MB).toFixed(1)} MB`;
  return `${(bytes / GB).toFixed(1)} GB`;
}
