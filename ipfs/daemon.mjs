#!/usr/bin/env node
// zkml-ipfs: a small IPFS node (Helia + libp2p, persistent FS repo) that serves the subset of the
// kubo HTTP RPC API used by zkml-chain. See README.md. Usage:
//   node ipfs/daemon.mjs [--repo DIR] [--api HOST:PORT] [--swarm MULTIADDR] [--pid-file FILE]
import './compat.mjs' // must stay first: Node 20 polyfill needed by dependencies
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { once } from 'node:events'
import { parseArgs } from 'node:util'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { bitswap } from '@helia/block-brokers'
import { Helia } from '@helia/utils'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { identify } from '@libp2p/identify'
import { tcp } from '@libp2p/tcp'
import { FsBlockstore } from 'blockstore-fs'
import { FsDatastore } from 'datastore-fs'
import { exporter } from 'ipfs-unixfs-exporter'
import { importByteStream } from 'ipfs-unixfs-importer'
import { fixedSize } from 'ipfs-unixfs-importer/chunker'
import { balanced } from 'ipfs-unixfs-importer/layout'
import { createLibp2p } from 'libp2p'
import { CID } from 'multiformats/cid'

const PKG = JSON.parse(fs.readFileSync(new URL('./package.json', import.meta.url), 'utf8'))
const HELIA_VERSION = PKG.dependencies['@helia/utils']
const AGENT = `zkml-ipfs/${PKG.version} helia/${HELIA_VERSION} libp2p/${PKG.dependencies.libp2p}`

class ApiError extends Error {
  constructor (message, status = 500, code = 0) { super(message); this.status = status; this.code = code }
}

// ---------- command line ----------
const { values: opts } = parseArgs({
  options: {
    repo: { type: 'string', default: process.env.ZKML_IPFS_REPO || path.join(os.homedir(), '.cache', 'zkml-ipfs') },
    api: { type: 'string', default: '127.0.0.1:5001' },
    swarm: { type: 'string', default: '/ip4/127.0.0.1/tcp/0' },
    'pid-file': { type: 'string' },
    help: { type: 'boolean', short: 'h' }
  }
})
if (opts.help) {
  console.log(`usage: node daemon.mjs [--repo DIR] [--api HOST:PORT] [--swarm MULTIADDR] [--pid-file FILE]
  --repo      repository directory (default: $ZKML_IPFS_REPO or ~/.cache/zkml-ipfs)
  --api       RPC API listen address, HOST:PORT or /ip4/HOST/tcp/PORT (default 127.0.0.1:5001; port 0 = any free)
  --swarm     libp2p listen multiaddr (default /ip4/127.0.0.1/tcp/0: loopback only, no bootstrap peers)
  --pid-file  write the daemon pid to this file (removed on exit)`)
  process.exit(0)
}
const apiMatch = /^(?:\/ip4\/([^/]+)\/tcp\/(\d+)|([^:]+):(\d+))$/.exec(opts.api)
if (apiMatch == null) { console.error(`invalid --api address: ${opts.api}`); process.exit(2) }
const apiHost = apiMatch[1] ?? apiMatch[3]
const apiPort = Number(apiMatch[2] ?? apiMatch[4])
const repo = path.resolve(opts.repo)

// ---------- repo: lock, identity, stores ----------
const lockFile = path.join(repo, 'repo.lock')
const apiFile = path.join(repo, 'api')

function acquireLock () {
  try {
    const pid = Number(fs.readFileSync(lockFile, 'utf8'))
    if (pid > 0 && pid !== process.pid) {
      try { process.kill(pid, 0); throw new Error(`repo ${repo} is in use by another daemon (pid ${pid})`) } catch (e) { if (e.code !== 'ESRCH') throw e }
    }
  } catch (e) { if (e.code !== 'ENOENT') throw e }
  fs.writeFileSync(lockFile, String(process.pid))
}

function releaseRepoFiles () {
  for (const f of [lockFile, apiFile, opts['pid-file']]) {
    if (f != null) try { fs.unlinkSync(f) } catch {}
  }
}

async function loadOrCreateKey (file) {
  try {
    return privateKeyFromProtobuf(fs.readFileSync(file))
  } catch (e) { if (e.code !== 'ENOENT') throw e }
  const key = await generateKeyPair('Ed25519')
  fs.writeFileSync(file, privateKeyToProtobuf(key), { mode: 0o600 })
  return key
}

// ---------- kubo-compatible import/export settings ----------
// kubo `ipfs add` defaults: CIDv0, size-262144 chunker, balanced layout with 174 links per node,
// no raw leaves (leaves are dag-pb UnixFS "file" nodes), a single-chunk file is its own root.
function importerOptions (q) {
  const cidVersion = Number(q.get('cid-version') ?? 0)
  if (cidVersion !== 0 && cidVersion !== 1) throw new ApiError(`unknown CID version ${q.get('cid-version')}`)
  const hash = q.get('hash') ?? 'sha2-256'
  if (hash !== 'sha2-256') throw new ApiError(`unsupported hash function ${hash} (only sha2-256)`)
  const chunker = q.get('chunker') ?? 'size-262144'
  const m = /^size-(\d+)$/.exec(chunker)
  if (m == null || Number(m[1]) < 1 || Number(m[1]) > 1048576) throw new ApiError(`unsupported chunker ${chunker} (only size-N)`)
  if (q.get('trickle') != null && bool(q.get('trickle'))) throw new ApiError('trickle layout is not supported')
  return {
    cidVersion,
    rawLeaves: q.get('raw-leaves') != null ? bool(q.get('raw-leaves')) : cidVersion === 1,
    leafType: 'file',
    reduceSingleLeafToSelf: true,
    chunker: fixedSize({ chunkSize: Number(m[1]) }),
    layout: balanced({ maxChildrenPerNode: 174 })
  }
}

function bool (v) { return /^(|1|t|true)$/i.test(v) } // Go strconv.ParseBool spellings; bare flag = true

// Local-only lookups: a block that is not in the repo is an error, never a network fetch.
const LOCAL = { offline: true }

function parseIpfsPath (arg) {
  if (arg == null || arg === '') throw new ApiError('argument "ipfs-path" is required', 400, 1)
  const p = arg.replace(/^\/ipfs\//, '')
  const [first, ...rest] = p.split('/')
  try {
    const cid = CID.parse(first)
    return { cid, path: [cid.toString(), ...rest].join('/') }
  } catch (e) {
    throw new ApiError(`invalid path ${JSON.stringify(arg)}: ${e.message}`)
  }
}

function notFound (err, cid) {
  if (err?.name === 'NotFoundError' || /not found/i.test(err?.message ?? '')) {
    return new ApiError(`block was not found locally (offline): ipld: could not find ${cid}`)
  }
  return err
}

function displayCid (cid) {
  // pins are stored as CIDv1; show dag-pb/sha2-256 ones as CIDv0 like kubo does for `Qm…` content
  return (cid.version === 1 && cid.code === 0x70 && cid.multihash.code === 0x12) ? cid.toV0().toString() : cid.toString()
}

async function pin (helia, cid, signal) {
  try {
    for await (const _ of helia.pins.add(cid, { ...LOCAL, signal })) { /* walk the whole DAG */ }
  } catch (e) {
    if (e.message !== 'Already pinned') throw notFound(e, cid)
  }
}

// ---------- multipart/form-data (streaming; every part is file content, as kubo treats them) ----------
async function * multipartParts (source, boundary) {
  const it = source[Symbol.asyncIterator]()
  const delim = Buffer.from(`\r\n--${boundary}`)
  let buf = Buffer.from('\r\n') // the body starts with "--boundary": make the first delimiter look like the others
  const more = async () => {
    const r = await it.next()
    if (r.done) return false
    buf = buf.length > 0 ? Buffer.concat([buf, r.value]) : r.value
    return true
  }
  const fail = (msg) => { throw new ApiError(`multipart: ${msg}`, 400, 1) }
  for (;;) {
    const i = buf.indexOf(delim)
    if (i >= 0) { buf = buf.subarray(i + delim.length); break }
    buf = buf.subarray(Math.max(0, buf.length - delim.length))
    if (!(await more())) fail('no boundary found in body')
  }
  for (;;) {
    while (buf.length < 2) if (!(await more())) fail('unexpected end of body')
    if (buf[0] === 0x2d && buf[1] === 0x2d) return // closing "--boundary--"
    let h
    while ((h = buf.indexOf('\r\n\r\n')) < 0) {
      if (buf.length > 65536) fail('part headers too large')
      if (!(await more())) fail('unexpected end of body')
    }
    const headers = {}
    for (const line of buf.subarray(0, h).toString('utf8').split('\r\n').slice(1)) {
      const c = line.indexOf(':')
      if (c > 0) headers[line.slice(0, c).trim().toLowerCase()] = line.slice(c + 1).trim()
    }
    buf = buf.subarray(h + 4)
    let ended = false
    const body = async function * () {
      for (;;) {
        const j = buf.indexOf(delim)
        if (j >= 0) {
          const out = buf.subarray(0, j)
          buf = buf.subarray(j + delim.length)
          ended = true
          if (out.length > 0) yield out
          return
        }
        const keep = delim.length - 1 // a delimiter may straddle two network chunks
        if (buf.length > keep) {
          const out = buf.subarray(0, buf.length - keep)
          buf = buf.subarray(buf.length - keep)
          yield out
        }
        if (!(await more())) fail('unexpected end of body')
      }
    }
    yield { headers, body: body() }
    if (!ended) for await (const _ of body()) { /* skip what the consumer did not read */ }
  }
}

function partName (headers) {
  const cd = headers['content-disposition'] ?? ''
  const m = /filename\*?="((?:[^"\\]|\\.)*)"/i.exec(cd) ?? /filename\*?=([^;\s]+)/i.exec(cd)
  if (m == null) return ''
  let name = m[1].replace(/^utf-8''/i, '')
  try { name = decodeURIComponent(name.replace(/\+/g, ' ')) } catch {} // kubo clients query-escape names
  return name
}

// ---------- RPC handlers ----------
async function add (ctx) {
  const { req, q, helia } = ctx
  const ct = req.headers['content-type'] ?? ''
  const bm = /^multipart\/form-data;.*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(ct)
  if (bm == null) throw new ApiError('expected a multipart/form-data request body with a file part', 400, 1)
  const options = importerOptions(q)
  const doPin = q.get('pin') == null || bool(q.get('pin'))
  const onlyHash = bool(q.get('only-hash') ?? q.get('n') ?? 'false')
  const store = onlyHash ? { put: async (cid) => cid, has: async () => false } : helia.blockstore
  let count = 0
  for await (const part of multipartParts(req, bm[1] ?? bm[2])) {
    if (/^application\/x-directory/i.test(part.headers['content-type'] ?? '')) {
      throw new ApiError('directories are not supported by this daemon; add files one by one')
    }
    const result = await importByteStream(part.body, store, { ...options, signal: ctx.signal })
    if (doPin && !onlyHash) await pin(helia, result.cid, ctx.signal)
    const hash = result.cid.toString()
    ctx.stream({ Name: partName(part.headers) || hash, Hash: hash, Size: String(result.size) })
    count++
  }
  if (count === 0) throw new ApiError('file argument "path" is required', 400, 1)
}

async function cat (ctx) {
  const { q, res, helia, signal } = ctx
  const { cid, path: p } = parseIpfsPath(q.get('arg'))
  let entry
  try {
    entry = await exporter(p, helia.blockstore, { ...LOCAL, signal })
  } catch (e) { throw notFound(e, cid) }
  if (entry.type === 'directory') throw new ApiError('this dag node is a directory')
  const int = (k) => {
    if (q.get(k) == null) return undefined
    const n = Number(q.get(k))
    if (!Number.isSafeInteger(n) || n < 0) throw new ApiError(`invalid ${k}: ${q.get(k)}`, 400, 1)
    return n
  }
  const offset = int('offset')
  const length = int('length')
  const iter = entry.content({ ...LOCAL, signal, offset, length })[Symbol.asyncIterator]()
  let first
  try { first = await iter.next() } catch (e) { throw notFound(e, cid) } // errors before the 200 are JSON errors
  res.writeHead(200, {
    'Content-Type': 'application/octet-stream',
    'X-Stream-Output': '1',
    'X-Content-Length': String(entry.size),
    Trailer: 'X-Stream-Error'
  })
  try {
    for (let r = first; !r.done; r = await iter.next()) {
      if (!res.write(r.value)) await once(res, 'drain', { signal })
    }
  } catch (e) {
    if (!signal.aborted) res.addTrailers({ 'X-Stream-Error': notFound(e, cid).message })
  }
  res.end()
}

async function pinAdd (ctx) {
  const pins = []
  for (const arg of ctx.q.getAll('arg')) {
    const { cid } = parseIpfsPath(arg)
    await pin(ctx.helia, cid, ctx.signal)
    pins.push(cid.toString())
  }
  if (pins.length === 0) throw new ApiError('argument "ipfs-path" is required', 400, 1)
  ctx.json({ Pins: pins })
}

async function pinLs (ctx) {
  const Keys = {}
  for await (const p of ctx.helia.pins.ls({ signal: ctx.signal })) {
    Keys[displayCid(p.cid)] = { Type: p.depth === Infinity ? 'recursive' : 'direct', Name: '' }
  }
  for (const arg of ctx.q.getAll('arg')) {
    const c = displayCid(parseIpfsPath(arg).cid)
    if (Keys[c] == null) throw new ApiError(`path '${arg}' is not pinned`)
  }
  const wanted = ctx.q.getAll('arg').map(a => displayCid(parseIpfsPath(a).cid))
  ctx.json({ Keys: wanted.length > 0 ? Object.fromEntries(wanted.map(c => [c, Keys[c]])) : Keys })
}

async function version (ctx) {
  ctx.json({ Version: `zkml-helia-${HELIA_VERSION}`, Commit: '', Repo: '1', System: `${process.arch}/${process.platform}`, Golang: `node-${process.version}` })
}

async function id (ctx) {
  const l = ctx.helia.libp2p
  ctx.json({
    ID: l.peerId.toString(),
    PublicKey: Buffer.from(publicKeyToProtobuf(l.peerId.publicKey)).toString('base64'),
    Addresses: l.getMultiaddrs().map(String),
    AgentVersion: AGENT,
    ProtocolVersion: 'ipfs/0.1.0',
    Protocols: l.getProtocols()
  })
}

async function shutdown (ctx) {
  ctx.res.end()
  setImmediate(() => process.kill(process.pid, 'SIGTERM'))
}

const ROUTES = {
  '/api/v0/add': add,
  '/api/v0/cat': cat,
  '/api/v0/pin/add': pinAdd,
  '/api/v0/pin/ls': pinLs,
  '/api/v0/version': version,
  '/api/v0/id': id,
  '/api/v0/shutdown': shutdown
}

function errorBody (message, code = 0) {
  return JSON.stringify({ Message: message, Code: code, Type: 'error' }) + '\n'
}

function makeHandler (helia) {
  return async (req, res) => {
    const url = new URL(req.url, 'http://localhost')
    const handler = ROUTES[url.pathname.replace(/\/+$/, '')]
    const sendError = (status, message, code = 0) => {
      if (res.headersSent) {
        // streaming already started: report in the trailer like kubo, then close
        if (res.getHeader('Trailer') != null) res.addTrailers({ 'X-Stream-Error': message })
        res.end()
        return
      }
      res.writeHead(status, { 'Content-Type': 'application/json' })
      res.end(errorBody(message, code))
      req.resume()
    }
    // like kubo: refuse cross-origin browser requests (a web page must not drive the local node)
    if (req.headers.origin != null && req.headers.origin !== `http://${req.headers.host}`) {
      res.writeHead(403, { 'Content-Type': 'text/plain' }).end('403 - Forbidden\n')
      req.resume()
      return
    }
    if (handler == null) return sendError(404, `unknown command "${url.pathname}"`, 0)
    if (req.method !== 'POST' && req.method !== 'GET') return sendError(405, `method ${req.method} not allowed, use POST`, 0)
    const ac = new AbortController()
    res.on('close', () => { if (!res.writableFinished) ac.abort() })
    const ctx = {
      req,
      res,
      helia,
      q: url.searchParams,
      signal: ac.signal,
      json (obj) {
        res.writeHead(200, { 'Content-Type': 'application/json' })
        res.end(JSON.stringify(obj) + '\n')
      },
      stream (obj) { // newline-delimited JSON objects, as kubo's streaming commands send
        if (!res.headersSent) {
          res.writeHead(200, { 'Content-Type': 'application/json', 'X-Chunked-Output': '1', Trailer: 'X-Stream-Error' })
        }
        res.write(JSON.stringify(obj) + '\n')
      }
    }
    try {
      await handler(ctx)
      if (!res.writableEnded) res.end()
    } catch (e) {
      if (!ac.signal.aborted) sendError(e.status ?? 500, e.message ?? String(e), e.code ?? 0)
    }
  }
}

// ---------- start ----------
async function main () {
  fs.mkdirSync(repo, { recursive: true })
  acquireLock()
  const blockstore = new FsBlockstore(path.join(repo, 'blocks'))
  const datastore = new FsDatastore(path.join(repo, 'datastore'))
  await blockstore.open()
  await datastore.open()
  const libp2p = await createLibp2p({
    privateKey: await loadOrCreateKey(path.join(repo, 'identity.key')),
    datastore,
    start: false,
    addresses: { listen: [opts.swarm] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    peerDiscovery: [], // no bootstrap list, no mDNS, no DHT: nothing is dialled unless a peer dials us
    services: { identify: identify() },
    nodeInfo: { name: 'zkml-ipfs', version: PKG.version, userAgent: AGENT }
  })
  const helia = new Helia({ libp2p, blockstore, datastore, blockBrokers: [bitswap()], routers: [] })
  await helia.start()

  const server = http.createServer(makeHandler(helia))
  let stopping = false
  const stop = async (code) => {
    if (stopping) return
    stopping = true
    server.close()
    server.closeAllConnections()
    const t = setTimeout(() => { console.error('shutdown timed out'); releaseRepoFiles(); process.exit(code || 1) }, 10000)
    try { await helia.stop() } catch (e) { console.error(`error while stopping: ${e.message}`) }
    await blockstore.close()
    await datastore.close()
    clearTimeout(t)
    releaseRepoFiles()
    process.exit(code)
  }
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.on(sig, () => {
      if (stopping) { releaseRepoFiles(); process.exit(1) }
      console.log('Received interrupt signal, shutting down...')
      stop(0)
    })
  }
  server.on('error', (e) => { console.error(`API server error: ${e.message}`); stop(1) })
  server.listen(apiPort, apiHost, () => {
    const { port } = server.address()
    const apiAddr = `/ip4/${apiHost}/tcp/${port}`
    fs.writeFileSync(apiFile, apiAddr)
    if (opts['pid-file'] != null) fs.writeFileSync(opts['pid-file'], `${process.pid}\n`)
    console.log(`zkml-ipfs ${PKG.version} (helia ${HELIA_VERSION}), repo ${repo}`)
    console.log(`PeerID: ${libp2p.peerId}`)
    for (const a of libp2p.getMultiaddrs()) console.log(`Swarm listening on ${a}`)
    console.log(`API server listening on ${apiAddr}`)
    console.log('Daemon is ready')
  })
}

process.on('unhandledRejection', (e) => { console.error('unhandled rejection:', e) })
main().catch((e) => {
  console.error(`Error: ${e.message}`)
  if (!/in use by another daemon/.test(e.message)) releaseRepoFiles()
  process.exit(1)
})
