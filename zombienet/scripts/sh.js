// Runs one of this directory's shell scripts from a zombienet test, with the network's endpoints:
//
//   NODE: js-script ./scripts/sh.js with "SCRIPT.sh,TIMEOUT_SECS" within N seconds
//
// zombienet's own `run` step copies a script into the network's temporary directory and passes it no
// endpoints; a js-script is given every node's RPC endpoint, so it starts the script from here with:
//   ZN_DIR          this zombienet/ directory (fixtures, helpers)
//   ZN_TMP_DIR      the network's directory (node logs NAME.log, scratch space)
//   ZN_NODES        the node names, space-separated
//   ZN_WS_<NAME>    each node's RPC endpoint (ws://127.0.0.1:PORT), NAME upper-cased
// The script's output goes to zombienet's output; a non-zero exit fails the step. The script runs in its own
// process group, killed (SIGTERM, then SIGKILL) after TIMEOUT_SECS so nothing outlives the step; keep
// TIMEOUT_SECS below the step's `within`.
"use strict";

const { spawn } = require("child_process");
const path = require("path");

async function run(_nodeName, networkInfo, args) {
  const [script, timeoutArg] = args.map((a) => a.trim());
  if (!/^[A-Za-z0-9_.-]+\.sh$/.test(script || "")) throw new Error(`not a script name: ${script}`);
  const timeoutSecs = parseInt(timeoutArg || "600", 10);
  const nodes = Object.keys(networkInfo.nodesByName).sort();
  const env = { ...process.env, ZN_DIR: path.resolve(__dirname, ".."), ZN_TMP_DIR: networkInfo.tmpDir, ZN_NODES: nodes.join(" ") };
  for (const n of nodes) env[`ZN_WS_${n.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`] = networkInfo.nodesByName[n].wsUri;
  // zombienet sets DEBUG=zombie; the script's tools need not see it.
  delete env.DEBUG;

  const child = spawn("bash", [path.join(__dirname, script)], { env, stdio: ["ignore", "inherit", "inherit"], detached: true });
  const killGroup = (sig) => {
    try {
      process.kill(-child.pid, sig);
    } catch (_) {
      /* already gone */
    }
  };
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    console.log(`\t ${script}: no result after ${timeoutSecs} s, stopping it`);
    killGroup("SIGTERM");
    setTimeout(() => killGroup("SIGKILL"), 10000).unref();
  }, timeoutSecs * 1000);
  const code = await new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (c, sig) => resolve(c === null ? `signal ${sig}` : c));
  });
  clearTimeout(timer);
  // Whatever the script left in its group (it should have stopped its own helpers) goes too.
  killGroup("SIGKILL");
  if (timedOut) throw new Error(`${script} timed out after ${timeoutSecs} s`);
  if (code !== 0) throw new Error(`${script} failed (exit ${code})`);
  return 0;
}

module.exports = { run };
