// Apply diff-match-patch patch texts and deltas with the JavaScript port.
// Reads a JSON array of jobs on stdin: {"patch": text, "text": old},
// {"delta": delta, "text": old} or {"make": [old, new]}; writes a JSON
// array of results.
"use strict";
const DiffMatchPatch = require("diff-match-patch");

const dmp = new DiffMatchPatch();
dmp.Diff_Timeout = 0;
const chunks = [];
process.stdin.on("data", (chunk) => chunks.push(chunk));
process.stdin.on("end", () => {
  const jobs = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  const results = jobs.map((job) => {
    if (job.make !== undefined) {
      const [oldText, newText] = job.make;
      const diffs = dmp.diff_main(oldText, newText);
      return {
        patch: dmp.patch_toText(dmp.patch_make(oldText, diffs)),
        delta: dmp.diff_toDelta(diffs),
      };
    }
    if (job.delta !== undefined) {
      const diffs = dmp.diff_fromDelta(job.text, job.delta);
      return { text: dmp.diff_text2(diffs), applied: [true] };
    }
    const patches = dmp.patch_fromText(job.patch);
    const [text, applied] = dmp.patch_apply(patches, job.text);
    return { text, applied, retext: dmp.patch_toText(patches) };
  });
  process.stdout.write(JSON.stringify(results));
});
