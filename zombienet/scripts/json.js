// Reads JSON on stdin and prints one value of it: node json.js 'EXPR', where EXPR is a JavaScript expression
// over `v` (the parsed input), e.g. 'v.dataset_hash' or 'v.find((b) => b.bounty === 0).state'. Strings are
// printed bare, anything else as JSON; undefined prints nothing and exits 1. (No jq needed.)
"use strict";
let input = "";
process.stdin.on("data", (d) => (input += d));
process.stdin.on("end", () => {
  const v = JSON.parse(input);
  const out = new Function("v", `return (${process.argv[2]});`)(v);
  if (out === undefined) process.exit(1);
  process.stdout.write(typeof out === "string" ? out : JSON.stringify(out));
});
