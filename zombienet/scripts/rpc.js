// One JSON-RPC call to a node over HTTP (its RPC port serves both WebSocket and HTTP), for the shell steps:
//   node rpc.js ws://127.0.0.1:PORT METHOD ['[PARAMS...]']   prints the result as JSON; exits 1 on any error.
"use strict";
const [url, method, params = "[]"] = process.argv.slice(2);
fetch(url.replace(/^ws/, "http"), {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params: JSON.parse(params) }),
  signal: AbortSignal.timeout(5000),
})
  .then((r) => r.json())
  .then((body) => {
    if (body.error) throw new Error(JSON.stringify(body.error));
    process.stdout.write(JSON.stringify(body.result));
  })
  .catch((e) => {
    console.error(`rpc ${method} ${url}: ${e.message}`);
    process.exit(1);
  });
