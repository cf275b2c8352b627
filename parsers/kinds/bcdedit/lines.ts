// Which lines belong to a bcdedit piece: `identifier {…}` and the known entry titles prove it;
// underlined titles, settings and values wrapped onto the value column can belong to one.
import type { LineRecogniser, Strength } from "../module.js";
import { NAMES } from "./parse.js";

/** `identifier {…}`, in English or as a localised bcdedit prints it (`Bezeichner {current}`). */
const IDENTIFIER_LINE = new RegExp(
  `^\\s*(?:${["identifier", ...Object.keys(NAMES).filter((k) => NAMES[k] === "identifier")].join("|")})\\s+\\{`,
  "iu",
);

const BCD_UNDERLINE = /^\s*-{3,}\s*$/;
const BCD_KNOWN_TITLE =
  /^\s*(?:Windows Boot (?:Manager|Loader)|Windows Legacy OS Loader|Firmware Boot Manager|Windows Memory Tester|Resume from Hibernate|Real-mode Boot Sector|Windows Setup|Device options|Debugger Settings|EMS Settings|Hypervisor Settings|Boot Loader Settings|Resume Loader Settings|Global Settings|Firmware Application \(\w+\))\s*$/i;
const BCD_SETTING =
  /^\s*(?:identifier|device|path|description|locale|inherit|default|resumeobject|displayorder|toolsdisplayorder|timeout|recoverysequence|recoveryenabled|osdevice|systemroot|nx|pae|increaseuserva|detecthal|bootmenupolicy|displaybootmenu|badmemoryaccess|bootdebug|bootems|bootstatuspolicy|debug|ems|testsigning|nointegritychecks|kernel|hal|truncatememory|removememory|numproc|onecpu|quietboot|sos|bootlog|safeboot|hypervisorlaunchtype|isolatedcontext|allowedinmemorysettings|flightsigning|filedevice|filepath|custom:\w+|usefirmwarepcisettings|integrityservices|elementsoftware|avoidlowmemory|nolowmem|useplatformclock|disabledynamictick|tscsyncpolicy|vga|hypervisordebug|debugtype|debugport|baudrate|bootux|graphicsmodedisabled|keyringaddress)\s+\S/i;

function bcdLine(lines: readonly string[], i: number): Strength {
  const line = lines[i] as string;
  if (IDENTIFIER_LINE.test(line)) return 2;
  if (BCD_KNOWN_TITLE.test(line)) return 2;
  const next = lines[i + 1];
  if (next !== undefined && BCD_UNDERLINE.test(next) && /^\S.{0,79}$/.test(line)) return 1;
  if (BCD_UNDERLINE.test(line)) return 1;
  if (BCD_SETTING.test(line)) return 1;
  // Unknown element names: lower-case, the value aligned two or more spaces away (bcdedit pads).
  if (/^[a-z][a-z0-9]{1,40}(?::[a-z0-9]{1,40})?(?: {2,}|\t)\S/.test(line)) return 1;
  return 0;
}

/** Multi-value bcdedit settings (displayorder) wrap onto lines indented to the value column. */
function bcdContinuation(line: string): boolean {
  return /^\s{8,}\S/.test(line);
}

export const bcdeditLines: LineRecogniser = {
  start: ({ lines, i }) => bcdLine(lines, i),
  continues: ({ lines, i, line }, { afterBlank }) => {
    const s = bcdLine(lines, i);
    if (s > 0) return s;
    return !afterBlank && bcdContinuation(line) ? 1 : 0;
  },
};
