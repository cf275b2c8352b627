// `bcdedit /enum` (and `/enum all`, `/v`) → one entry per block. A block is a title line
// underlined with dashes, then `name  value` lines; a value that spans lines (displayorder) continues
// on lines that start with whitespace or `{`. Localised titles and the localised word for
// `identifier` are mapped to English; runs of spaces may have been collapsed. One pass.
import type { KindInput } from "../module.js";
import type { BcdEntry, BcdeditData } from "./schema.js";

/** Localised block titles → the English ones bcdedit prints on an en-US system. */
const TITLES: Record<string, string> = {
  "windows-start-manager": "Windows Boot Manager",
  "windows-startladeprogramm": "Windows Boot Loader",
  "gestionnaire de démarrage windows": "Windows Boot Manager",
  "chargeur de démarrage windows": "Windows Boot Loader",
  "administrador de arranque de windows": "Windows Boot Manager",
  "cargador de arranque de windows": "Windows Boot Loader",
  "gestione avvio di windows": "Windows Boot Manager",
  "caricamento di windows": "Windows Boot Loader",
  "gerenciador de inicialização do windows": "Windows Boot Manager",
  "carregador de inicialização do windows": "Windows Boot Loader",
  "диспетчер загрузки windows": "Windows Boot Manager",
  "загрузка windows": "Windows Boot Loader",
};

/** Localised setting names → bcdedit's English names (only the ones a localised bcdedit translates). */
export const NAMES: Record<string, string> = {
  bezeichner: "identifier",
  identificateur: "identifier",
  identificador: "identifier",
  identificatore: "identifier",
  идентификатор: "identifier",
  beschreibung: "description",
  descripción: "description",
  descrizione: "description",
  descrição: "description",
  описание: "description",
};

const BOOT_MANAGER = "Windows Boot Manager";

function isDashes(line: string): boolean {
  const t = line.trim();
  if (t.length < 3) return false;
  for (let i = 0; i < t.length; i++) if (t[i] !== "-") return false;
  return true;
}

function isSpace(ch: string | undefined): boolean {
  return ch === " " || ch === "\t" || ch === "\u00a0";
}

function snippet(line: string): string {
  const t = line.trim();
  return t.length > 80 ? `${t.slice(0, 77)}...` : t;
}

function canonicalTitle(title: string): string {
  const t = title.trim().replace(/\s+/g, " ");
  return TITLES[t.toLowerCase()] ?? t;
}

interface Block {
  entry: BcdEntry;
  lastKey: string | null;
}

export function parseBcdedit(text: string, source: string): KindInput<"bcdedit", BcdeditData> {
  const warnings: string[] = [];
  const blocks: Block[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  let cur: Block | null = null;

  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] as string;
    // trimEnd, not `replace(/\s+$/, "")`: that regex restarts at every space of an inner run (quadratic).
    const line = raw.trimEnd();
    if (line.trim() === "") continue;
    const nextLine = lines[i + 1];
    // A title is any line underlined with dashes.
    if (nextLine !== undefined && isDashes(nextLine) && !isDashes(line)) {
      cur = {
        entry: {
          type: canonicalTitle(line),
          identifier: null,
          description: null,
          settings: {},
          isDefault: false,
        },
        lastKey: null,
      };
      blocks.push(cur);
      i++; // the dashes
      continue;
    }
    if (isDashes(line)) continue;
    const trimmed = line.trim();
    if (!cur) {
      // Prompts and the banner before the first block are expected noise.
      if (!/^(?:PS )?[A-Za-z]:\\[^>]{0,200}>/.test(trimmed) && !/^bcdedit\b/i.test(trimmed)) {
        warnings.push(`line ${i + 1}: outside any bcdedit block, ignored: "${snippet(line)}"`);
      }
      continue;
    }
    if ((isSpace(line[0]) || trimmed.startsWith("{")) && cur.lastKey !== null) {
      // Continuation of a list value (displayorder, toolsdisplayorder, badmemory).
      const k = cur.lastKey;
      // Appended without re-trimming the whole value, which would re-scan it on every line (quadratic).
      const before = cur.entry.settings[k] ?? "";
      cur.entry.settings[k] = before === "" ? trimmed : `${before} ${trimmed}`;
      continue;
    }
    let j = 0;
    while (j < trimmed.length && !isSpace(trimmed[j])) j++;
    const name = trimmed.slice(0, j).toLowerCase();
    const value = trimmed.slice(j).trim();
    const key = NAMES[name] ?? name;
    if (/^the operation completed|^der vorgang wurde erfolgreich/i.test(trimmed)) continue;
    cur.entry.settings[key] = value;
    cur.lastKey = key;
    if (key === "identifier") cur.entry.identifier = value || null;
    if (key === "description") cur.entry.description = value || null;
  }

  // The default: `{current}` / `{default}`, or the identifier the boot manager's `default` names.
  const manager = blocks.find((b) => b.entry.type === BOOT_MANAGER);
  const target = manager?.entry.settings.default?.toLowerCase() ?? null;
  for (const { entry } of blocks) {
    if (entry.type === BOOT_MANAGER) continue;
    const id = entry.identifier?.toLowerCase() ?? null;
    entry.isDefault = id !== null && (id === "{current}" || id === "{default}" || id === target);
  }
  if (blocks.length === 0) warnings.push("no bcdedit block (a title underlined with dashes) found");
  return { kind: "bcdedit", source, warnings, data: { entries: blocks.map((b) => b.entry) } };
}
