// Chain-level checks for the zombienet tests, run as `js-script` steps:
//
//   NODE: js-script ./scripts/chain.js with "MODE,ARG,..." within N seconds
//
// zombienet calls run(nodeName, networkInfo, args) with every node's RPC endpoint (networkInfo.nodesByName);
// the checks talk plain JSON-RPC over HTTP to the nodes' RPC ports (the same port serves WebSocket and HTTP).
// Modes (a NODES list is comma-separated node names; empty = every node of the network):
//   progress,K,NODES   each node's finalized height grows by at least K blocks
//   same-head,NODES    all nodes agree on the block at the lowest of their finalized heights, and (polling)
//                      they all report the very same finalized head at one moment
//   down,NODE          NODE's RPC does not answer (it is paused or killed)
//   catch-up,NODE      NODE's finalized height reaches the highest finalized height the other nodes had when
//                      the check started, and NODE has the same block at that height as they do
// Every mode throws (failing the step) on a violated expectation; a timeout is the DSL's `within`.
"use strict";

const POLL_MS = 1000;

function httpUrl(wsUri) {
  return wsUri.replace(/^ws/, "http");
}

async function rpc(wsUri, method, params = [], timeoutMs = 5000) {
  const res = await fetch(httpUrl(wsUri), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = await res.json();
  if (body.error) throw new Error(`${method} on ${wsUri}: ${JSON.stringify(body.error)}`);
  return body.result;
}

async function finalized(wsUri) {
  const hash = await rpc(wsUri, "chain_getFinalizedHead");
  const header = await rpc(wsUri, "chain_getHeader", [hash]);
  return { hash, number: parseInt(header.number, 16) };
}

async function finalizedOrNull(wsUri) {
  try {
    return await finalized(wsUri);
  } catch (_) {
    return null;
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function pickNodes(networkInfo, names) {
  const all = networkInfo.nodesByName;
  const list = names.filter((n) => n !== "");
  const chosen = list.length ? list : Object.keys(all).sort();
  for (const n of chosen) if (!all[n]) throw new Error(`no node named ${n}`);
  return chosen.map((n) => ({ name: n, ws: all[n].wsUri }));
}

function fmt(f) {
  return f ? `#${f.number} ${f.hash.slice(0, 10)}…` : "no answer";
}

async function progress(nodes, k) {
  const start = {};
  for (const n of nodes) start[n.name] = (await finalized(n.ws)).number;
  console.log(`\t finalized heights now: ${nodes.map((n) => `${n.name} #${start[n.name]}`).join(", ")}; waiting for +${k}`);
  const pending = new Set(nodes.map((n) => n.name));
  while (pending.size) {
    for (const n of nodes) {
      if (!pending.has(n.name)) continue;
      const f = await finalizedOrNull(n.ws);
      if (f && f.number >= start[n.name] + k) {
        console.log(`\t ${n.name} finalized ${fmt(f)} (was #${start[n.name]})`);
        pending.delete(n.name);
      }
    }
    if (pending.size) await sleep(POLL_MS);
  }
  return 0;
}

async function sameHead(nodes) {
  // Safety: at the lowest finalized height, every node has finalized the same block.
  const heads = await Promise.all(nodes.map((n) => finalized(n.ws)));
  const low = Math.min(...heads.map((h) => h.number));
  const hashes = await Promise.all(nodes.map((n) => rpc(n.ws, "chain_getBlockHash", [low])));
  if (new Set(hashes).size !== 1) {
    throw new Error(`nodes disagree on finalized block #${low}: ${nodes.map((n, i) => `${n.name} ${hashes[i]}`).join(", ")}`);
  }
  console.log(`\t all ${nodes.length} nodes have block #${low} = ${hashes[0]} (lowest finalized height)`);
  // Liveness of the view: at some moment every node reports the same finalized head.
  for (;;) {
    const now = await Promise.all(nodes.map((n) => finalized(n.ws)));
    if (new Set(now.map((h) => h.hash)).size === 1) {
      console.log(`\t all ${nodes.length} nodes report the same finalized head ${fmt(now[0])}`);
      return now[0].number;
    }
    await sleep(300);
  }
}

async function down(node) {
  try {
    const f = await finalized(node.ws);
    throw new Error(`${node.name} still answers (finalized ${fmt(f)})`);
  } catch (e) {
    if (/still answers/.test(e.message)) throw e;
    console.log(`\t ${node.name} does not answer: ${e.name || e.message}`);
    return 0;
  }
}

async function catchUp(node, others) {
  const heads = (await Promise.all(others.map((n) => finalizedOrNull(n.ws)))).filter(Boolean);
  if (!heads.length) throw new Error("no other node answers");
  const target = Math.max(...heads.map((h) => h.number));
  const ref = others.find((_, i) => heads[i] && heads[i].number === target) || others[0];
  console.log(`\t ${node.name} must reach finalized #${target}`);
  for (;;) {
    const f = await finalizedOrNull(node.ws);
    if (f && f.number >= target) {
      const [mine, theirs] = await Promise.all([
        rpc(node.ws, "chain_getBlockHash", [target]),
        rpc(ref.ws, "chain_getBlockHash", [target]),
      ]);
      if (mine !== theirs) throw new Error(`${node.name} finalized a different block #${target}: ${mine} vs ${ref.name} ${theirs}`);
      console.log(`\t ${node.name} caught up: finalized ${fmt(f)}, block #${target} = ${mine} as on ${ref.name}`);
      return f.number;
    }
    await sleep(POLL_MS);
  }
}

async function run(_nodeName, networkInfo, args) {
  const [mode, ...rest] = args.map((a) => a.trim());
  switch (mode) {
    case "progress": {
      const k = parseInt(rest[0], 10);
      if (!(k > 0)) throw new Error(`progress needs a positive block count, got ${rest[0]}`);
      return progress(pickNodes(networkInfo, rest.slice(1)), k);
    }
    case "same-head":
      return sameHead(pickNodes(networkInfo, rest));
    case "down":
      return down(pickNodes(networkInfo, rest.slice(0, 1))[0]);
    case "catch-up": {
      const [node] = pickNodes(networkInfo, rest.slice(0, 1));
      const others = pickNodes(networkInfo, []).filter((n) => n.name !== node.name);
      return catchUp(node, others);
    }
    default:
      throw new Error(`unknown mode ${mode}`);
  }
}

module.exports = { run };
