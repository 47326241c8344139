// The board: connects to a node (`?rpc=ws://…`, default the dev chain's), keeps a snapshot of the bounty
// pallet's storage fresh on every new block, follows finalized events for history, and renders the route in
// the hash (#/, #/bounty/N, #/competition/N, #/post-bounty, #/post-competition).
import { decodeAddress, encodeAddress } from '@polkadot/util-crypto';
import { blockTimeMs, connect, snapshot, units } from './chain.js';
import { countdown, esc, plainEndpoint } from './format.js';
import { History } from './history.js';
import { bindPostBounty, bindPostCompetition, bindReveal, cancelBounty, postBountyForm, postCompetitionForm, revealForm } from './forms.js';
import { bountyDetail, competitionDetail, overview } from './views.js';
import { enableWallet } from './wallet.js';

const params = new URLSearchParams(location.search);
const rejected = [];
/** An endpoint from the query string if it is a plain URL of one of `schemes` (see `plainEndpoint`). */
function endpoint(name, schemes, fallback) {
  const v = params.get(name);
  if (v === null) return fallback;
  const ok = plainEndpoint(v, schemes);
  if (ok) return ok;
  rejected.push(`ignored ?${name}=${v}: not a plain ${schemes.join(' or ')} URL`);
  return fallback;
}
const historyParam = Number(params.get('history') ?? 20000);
const ctx = {
  rpc: endpoint('rpc', ['ws', 'wss'], 'ws://127.0.0.1:9944'),
  ipfs: endpoint('ipfs', ['http', 'https'], 'http://127.0.0.1:5001'),
  historyBlocks: Number.isInteger(historyParam) && historyParam >= 0 ? historyParam : 20000,
  account: null,
  accounts: [],
  api: null,
  unit: { decimals: 12, symbol: 'Unit' },
  best: 0,
  bestSeenAt: Date.now(),
  finalized: 0,
  slotMs: 6000,
  history: null,
  snap: null,
};
window.zkmlBoard = ctx; // for the console (and the tests' waiting)

const $ = (sel) => document.querySelector(sel);

function setConnection(state, detail = '') {
  const el = $('#connection');
  el.dataset.state = state;
  el.textContent = {
    connecting: `connecting to ${ctx.rpc}…`,
    connected: `connected to ${ctx.rpc}`,
    disconnected: `node unreachable at ${ctx.rpc}: reconnecting every 2 s (what is shown is as of block ${ctx.best})`,
    error: `cannot reach ${ctx.rpc}: retrying`,
  }[state] + (detail ? ` — ${detail}` : '');
}

/** Accounts as the chain spells them (the extension may use another SS58 prefix). */
function chainAddress(a) {
  return encodeAddress(decodeAddress(a), ctx.api?.registry.chainSS58 ?? 42);
}

let renderedRoute = null;
function route() {
  const [, kind, arg] = (location.hash || '#/').split('/');
  return { kind: kind || '', arg };
}

/** Re-renders the live part of the current route; forms are built once per route so typing is not lost. */
function render() {
  if (!ctx.snap) return;
  const r = route();
  const key = `${r.kind}/${r.arg ?? ''}`;
  const live = $('#live');
  const forms = $('#forms');
  if (r.kind === 'bounty') live.innerHTML = bountyDetail(ctx.snap, ctx.snap.bounties.find((b) => b.id === Number(r.arg)), ctx);
  else if (r.kind === 'competition') live.innerHTML = competitionDetail(ctx.snap, ctx.snap.competitions.find((c) => c.id === Number(r.arg)), ctx);
  else if (r.kind === 'post-bounty' || r.kind === 'post-competition') live.innerHTML = '';
  else live.innerHTML = overview(ctx.snap, ctx);
  if (key !== renderedRoute) {
    renderedRoute = key;
    forms.innerHTML = r.kind === 'post-bounty' ? postBountyForm(ctx) : r.kind === 'post-competition' ? postCompetitionForm(ctx) : '';
    if (r.kind === 'post-bounty') bindPostBounty(ctx, forms, refresh);
    if (r.kind === 'post-competition') bindPostCompetition(ctx, forms, refresh);
  }
  if (r.kind === 'competition') {
    const c = ctx.snap.competitions.find((c) => c.id === Number(r.arg));
    const slot = $('#reveal-action');
    if (c && slot) {
      // One element kept across re-renders, rebuilt only when what it offers changes: a chosen file
      // survives new blocks.
      const state = `${c.id}/${canReveal(c)}/${ctx.account}`;
      if (revealHolder.dataset.state !== state) {
        revealHolder.dataset.state = state;
        revealHolder.innerHTML = revealForm(ctx, c);
        bindReveal(ctx, revealHolder, c, refresh);
      }
      slot.replaceWith(revealHolder);
    }
  }
  for (const btn of document.querySelectorAll('button[data-cancel]')) {
    btn.onclick = () => cancelBounty(ctx, Number(btn.dataset.cancel), btn, refresh);
  }
  tick();
}
const revealHolder = document.createElement('div');
revealHolder.id = 'reveal-action';
/** The runtime accepts a reveal in blocks after `submit_until` up to `reveal_until`. */
function canReveal(c) {
  return c.phase.name === 'open' && ctx.best >= c.submitUntil && ctx.best < c.revealUntil;
}

/** Updates every countdown on the page from the last block's arrival time. */
function tick() {
  for (const el of document.querySelectorAll('.countdown')) {
    const c = countdown(Number(el.dataset.block), ctx.best, ctx.bestSeenAt, ctx.slotMs);
    el.textContent = c.text;
    el.classList.toggle('passed', c.passed);
  }
}

let refreshing = null;
async function refresh() {
  if (!ctx.api) return;
  // One read at a time; a block arriving meanwhile triggers one more.
  if (refreshing) {
    refreshing.again = true;
    return;
  }
  refreshing = { again: false };
  try {
    ctx.snap = await snapshot(ctx.api);
    render();
    $('#updated').textContent = `best block ${ctx.best}, finalized ${ctx.finalized}`;
  } catch (e) {
    $('#updated').textContent = `could not read the chain: ${e.message}`;
  } finally {
    const again = refreshing.again;
    refreshing = null;
    if (again) refresh();
  }
}

function renderAccounts() {
  const sel = $('#account');
  sel.innerHTML = ctx.accounts.length
    ? ctx.accounts.map((a) => `<option value="${esc(a.address)}"${a.address === ctx.account ? ' selected' : ''}>${esc(a.name ?? '')} ${esc(a.address.slice(0, 8))}…</option>`).join('')
    : '<option value="">no account</option>';
  sel.hidden = ctx.accounts.length === 0;
  $('#signin').hidden = ctx.accounts.length > 0;
  $('#nav-post').hidden = !ctx.account;
}

async function signIn() {
  try {
    const accounts = await enableWallet();
    ctx.accounts = accounts.map((a) => ({ address: chainAddress(a.address), name: a.meta.name }));
    if (ctx.accounts.length === 0) throw new Error('the wallet shared no account with this page');
    ctx.account = ctx.accounts[0].address;
    renderAccounts();
    renderedRoute = null;
    render();
  } catch (e) {
    $('#wallet-error').textContent = e.message;
  }
}

let followed = false;
async function onReady(api) {
  ctx.api = api;
  ctx.unit = units(api);
  ctx.slotMs = blockTimeMs(api);
  const chain = await api.rpc.system.chain();
  $('#chain').textContent = chain.toString();
  setConnection('connected');
  if (followed) {
    // A reconnect: subscriptions resume by themselves; catch up now.
    refresh();
    return;
  }
  followed = true;
  ctx.history = new History(api, () => render());
  await api.rpc.chain.subscribeNewHeads((h) => {
    ctx.best = h.number.toNumber();
    ctx.bestSeenAt = Date.now();
    refresh();
  });
  let started = false;
  await api.rpc.chain.subscribeFinalizedHeads((h) => {
    ctx.finalized = h.number.toNumber();
    if (!started) {
      started = true;
      ctx.history.load(ctx.finalized, Math.max(1, ctx.finalized - ctx.historyBlocks));
    } else {
      ctx.history.follow(ctx.finalized).catch(() => {});
    }
  });
}

function init() {
  $('#rpc').value = ctx.rpc;
  $('#signin').onclick = signIn;
  $('#account').onchange = (e) => {
    ctx.account = e.target.value;
    renderedRoute = null;
    render();
  };
  window.addEventListener('hashchange', render);
  setInterval(tick, 1000);
  renderAccounts();
  if (rejected.length) {
    $('#tx-status').textContent = rejected.join('; ');
    $('#tx-status').dataset.kind = 'error';
  }
  connect(ctx.rpc, { onState: setConnection, onReady: (api) => onReady(api).catch((e) => setConnection('error', e.message)) }).catch((e) => setConnection('error', e.message));
}

init();
