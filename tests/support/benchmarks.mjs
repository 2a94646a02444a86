// BENCHMARKS.md is written by the benchmark scripts, each into its own section between
// `<!-- name:start -->` and `<!-- name:end -->`; text outside the markers is kept as written.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "./server.mjs";

/**
 * Puts `body` into the section `name` of BENCHMARKS.md. A file without that section gets it
 * appended after `appendUnder` (a heading and its introduction); without one, that is an error.
 */
export function writeSection(name, body, { appendUnder } = {}) {
  const file = path.join(ROOT, "BENCHMARKS.md");
  const text = readFileSync(file, "utf8");
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const block = `${start}\n${body}\n${end}`;
  if (text.includes(start)) {
    // A function, so a `$` in the figures is never read as a replacement pattern.
    writeFileSync(file, text.replace(new RegExp(`${start}[\\s\\S]*${end}`), () => block));
  } else if (appendUnder) {
    writeFileSync(file, `${text.trimEnd()}\n\n${appendUnder}\n\n${block}\n`);
  } else {
    throw new Error(`BENCHMARKS.md has no ${start} section`);
  }
}

/** The body of the section `name` of BENCHMARKS.md, or null where there is none yet. */
export function readSection(name) {
  const text = readFileSync(path.join(ROOT, "BENCHMARKS.md"), "utf8");
  const match = text.match(new RegExp(`<!-- ${name}:start -->\\n([\\s\\S]*)\\n<!-- ${name}:end -->`));
  return match ? match[1] : null;
}

/** "release builds of <commit>" (with "with uncommitted changes" when the tree differs). */
export function builtFrom(kind = "release builds") {
  try {
    const git = (...args) => execFileSync("git", args, { cwd: ROOT, encoding: "utf8" }).trim();
    const dirty = git("status", "--porcelain", "--untracked-files=no");
    return `${kind} of ${git("rev-parse", "--short", "HEAD")}${dirty ? " with uncommitted changes" : ""}`;
  } catch {
    return kind;
  }
}
