// Reading the reports' downloads back in tests: XLSX through Python's zipfile (no npm package
// needed), CSV by a small reader for the quoting the export writes.
import { spawnSync } from "node:child_process";

/** The first sheet of an XLSX as rows of text, read with Python's zipfile (no npm package). */
export function readXlsx(bytes) {
  const script = `
import io, json, re, sys, zipfile, xml.etree.ElementTree as ET
z = zipfile.ZipFile(io.BytesIO(sys.stdin.buffer.read()))
ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
shared = []
if "xl/sharedStrings.xml" in z.namelist():
    for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", ns):
        shared.append("".join(t.text or "" for t in si.iter("{%s}t" % ns["m"])))
rows = []
for row in ET.fromstring(z.read("xl/worksheets/sheet1.xml")).iter("{%s}row" % ns["m"]):
    cells = []
    for c in row.findall("m:c", ns):
        col = sum((ord(ch) - 64) * 26 ** i for i, ch in enumerate(reversed(re.match("[A-Z]+", c.get("r")).group())))
        while len(cells) < col - 1: cells.append("")
        v = c.find("m:v", ns)
        text = "" if v is None else v.text
        cells.append(shared[int(text)] if c.get("t") == "s" else text)
    rows.append(cells)
print(json.dumps(rows, ensure_ascii=False))
`;
  const result = spawnSync("python3", ["-c", script], { input: bytes });
  if (result.status !== 0) throw new Error(result.stderr.toString());
  return JSON.parse(result.stdout.toString());
}

/** CSV rows (the reports' CSV quotes only what needs it). */
export function readCsv(text) {
  const rows = [];
  let row = [], cell = "", quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") { row.push(cell); cell = ""; }
    else if (ch === "\n") { row.push(cell); rows.push(row); row = []; cell = ""; }
    else cell += ch;
  }
  return rows;
}
