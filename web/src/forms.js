// What a signed-in account can do from the page: post a bounty or a competition, cancel an expired bounty,
// reveal a committed test set. Every input is checked here first (the runtime checks again); nothing is sent
// until it is complete, and the outcome, the runtime's error included, is shown in #tx-status.
import { findDataset } from './chain.js';
import { esc, formatAmount, fromHex, parseAmount, sseCap, toHex } from './format.js';
import { signAndFollow } from './wallet.js';

const PUBLIC_KEY_KIND = 'zkml-babyjubjub-public-key';
const TEST_SET_KIND = 'zkml-test-set/1';

function status(text, kind = 'info') {
  const el = document.querySelector('#tx-status');
  el.textContent = text;
  el.dataset.kind = kind;
}

const needAccount = (ctx) => (ctx.account ? '' : '<p class="warn">Sign in with your wallet (top right) to post.</p>');

async function readJsonFile(input, what) {
  const file = input.files?.[0];
  if (!file) throw new Error(`choose ${what}`);
  if (file.size > 64 * 1024 * 1024) throw new Error(`${file.name} is too large for ${what}`);
  try {
    return JSON.parse(await file.text());
  } catch (e) {
    throw new Error(`${file.name} is not JSON (${e.message})`);
  }
}

/** The organizer's BabyJubJub public key from a `zkml keygen` public key file, or pasted as hex. */
async function publicKeyBytes(form) {
  const pasted = form.querySelector('[name=publickey_hex]').value.trim();
  if (pasted) return fromHex(pasted, 'the public key', 32);
  const f = await readJsonFile(form.querySelector('[name=publickey_file]'), 'your public key file (keys/org_public.json)');
  if (f.kind !== PUBLIC_KEY_KIND) {
    throw new Error(f.kind === 'zkml-babyjubjub-secret-key' ? 'that is your SECRET key file: choose the …_public.json one (the secret never leaves your machine)' : `not a zkml public key file (kind ${f.kind})`);
  }
  return fromHex(f.public_key, 'the public key', 32);
}

async function run(ctx, tx, label, refresh) {
  status(`${label}: preparing…`);
  try {
    const events = await signAndFollow(ctx.api, tx, ctx.account, (t) => status(`${label}: ${t}`));
    const summary = events.map((e) => `${e.method}${e.data.length ? ' ' + JSON.stringify(e.data.toHuman()) : ''}`).join('; ');
    status(`${label}: done, finalized. ${summary}`, 'ok');
    refresh();
    return events;
  } catch (e) {
    status(`${label} failed: ${e.message}`, 'error');
    return null;
  }
}

const ownDatasets = (ctx) => ctx.snap.datasets.filter((d) => d.organizer === ctx.account);
const ownKeys = (ctx, shape) => ctx.snap.keys.filter((k) => k.registrant === ctx.account && (!shape || (k.shape.m === shape.m && k.shape.p === shape.p && k.shape.n === shape.n)));
const datasetOption = (d) => `<option value="${esc(d.hash)}">${esc(d.hash.slice(0, 12))}… ${d.shape.m}×${d.shape.p}×${d.shape.n}</option>`;
const keyOption = (k) => `<option value="${esc(k.hash)}">${esc(k.hash.slice(0, 12))}… ${k.shape.m}×${k.shape.p}×${k.shape.n} ${esc(k.model.text)}${k.ceremony === null ? ' (no ceremony)' : ` (ceremony ${k.ceremony})`}</option>`;

export function postBountyForm(ctx) {
  const ds = ctx.account ? ownDatasets(ctx) : [];
  return `<section><h2>Post a bounty</h2>${needAccount(ctx)}
  <form id="post-bounty">
    <label>your dataset <select name="dataset">${ds.map(datasetOption).join('') || '<option value="">register one first: zkml add-dataset</option>'}</select></label>
    <label>verifying key <select name="key"></select></label>
    <label>amount (${esc(ctx.unit.symbol)}) <input name="amount" value="5" inputmode="decimal"></label>
    <label class="cap-label">cap <input name="cap" value="" placeholder="MSE (regressors) or most misclassified samples (classifiers)"></label>
    <label>expires in blocks <input name="expires" value="14400" inputmode="numeric"> <span class="muted">(${ctx.slotMs / 1000} s each)</span></label>
    <label>your public key file <input type="file" name="publickey_file" accept=".json"></label>
    <label>…or its hex <input name="publickey_hex" placeholder="0x… (public_key in keys/org_public.json)"></label>
    <button type="submit"${ctx.account ? '' : ' disabled'}>sign and post</button>
  </form></section>`;
}

export function bindPostBounty(ctx, root, refresh) {
  const form = root.querySelector('#post-bounty');
  if (!form) return;
  const keySel = form.querySelector('[name=key]');
  const capLabel = form.querySelector('.cap-label');
  const fillKeys = () => {
    const d = findDataset(ctx.snap, ctx.account, form.querySelector('[name=dataset]').value);
    const keys = d ? ownKeys(ctx, d.shape) : [];
    keySel.innerHTML = keys.map(keyOption).join('') || '<option value="">no key of yours for this shape: run a ceremony (zkml ceremony init)</option>';
    fillCap();
  };
  const fillCap = () => {
    const k = ctx.snap.keys.find((k) => k.registrant === ctx.account && k.hash === keySel.value);
    capLabel.firstChild.textContent = k?.model.task.classification ? 'most misclassified samples ' : 'MSE cap ';
  };
  form.querySelector('[name=dataset]').onchange = fillKeys;
  keySel.onchange = fillCap;
  fillKeys();
  form.onsubmit = async (ev) => {
    ev.preventDefault();
    try {
      const d = findDataset(ctx.snap, ctx.account, form.querySelector('[name=dataset]').value);
      if (!d) throw new Error('choose one of your datasets');
      const k = ctx.snap.keys.find((k) => k.registrant === ctx.account && k.hash === keySel.value);
      if (!k) throw new Error('choose one of your verifying keys for the dataset\'s shape');
      const amount = parseAmount(form.querySelector('[name=amount]').value, ctx.unit);
      if (amount === 0n) throw new Error('the amount must be positive');
      const capText = form.querySelector('[name=cap]').value.trim();
      let cap;
      if (k.model.task.classification) {
        if (!/^\d+$/.test(capText)) throw new Error('the cap of a classifier bounty is a whole number of misclassified samples');
        cap = BigInt(capText);
        if (cap >= BigInt(d.shape.m)) throw new Error(`a cap of ${cap} would accept any model: the dataset has ${d.shape.m} samples`);
      } else {
        const mse = Number(capText);
        if (!capText || Number.isNaN(mse)) throw new Error('the MSE cap must be a number');
        cap = sseCap(mse, d.shape, d.yFracBits);
      }
      const expires = Number(form.querySelector('[name=expires]').value);
      if (!Number.isInteger(expires) || expires < 1 || expires > 5_256_000) throw new Error('expiry: a whole number of blocks, 1 to 5,256,000 (about a year)');
      const pk = await publicKeyBytes(form);
      const tx = ctx.api.tx.zkmlBounties.postBounty(d.hash, k.hash, toHex(pk), cap, amount, expires);
      const events = await run(ctx, tx, `posting a bounty of ${formatAmount(amount, ctx.unit)}`, refresh);
      const posted = events?.find((e) => e.method === 'BountyPosted');
      if (posted) location.hash = `#/bounty/${posted.data[0].toString()}`;
    } catch (e) {
      status(`not sent: ${e.message}`, 'error');
    }
  };
}

export function postCompetitionForm(ctx) {
  const ds = ctx.account ? ownDatasets(ctx) : [];
  return `<section><h2>Post a competition</h2>${needAccount(ctx)}
  <p class="muted">The hidden test set is committed by its hash now and revealed on chain after submissions close.
  Package it with <code>zkml test-set --train TRAIN_HASH --test ./test-set --out test-set.json</code>: this page reads only
  its hash and row count now (nothing of the data leaves your machine until you reveal it).</p>
  <form id="post-competition">
    <label>training set <select name="train">${ds.map(datasetOption).join('') || '<option value="">register one first: zkml add-dataset</option>'}</select></label>
    <label>validation split (public leaderboard) <select name="validation"><option value="">none</option>${ds.map(datasetOption).join('')}</select></label>
    <label>test set file <input type="file" name="test_file" accept=".json"></label>
    <label>scoring key (test shape) <select name="scoring_key">${ownKeys(ctx).map(keyOption).join('')}</select></label>
    <label>validation key <select name="validation_key"><option value="">none</option>${ownKeys(ctx).map(keyOption).join('')}</select></label>
    <label>prize (${esc(ctx.unit.symbol)}) <input name="prize" value="10"></label>
    <label>reveal bond (${esc(ctx.unit.symbol)}) <input name="bond" value="1"></label>
    <label>shares by rank <input name="shares" value="70,30"></label>
    <label>submission window (blocks) <input name="submit_blocks" value="14400"></label>
    <label>reveal window (blocks) <input name="reveal_blocks" value="1200"></label>
    <label>scoring window (blocks) <input name="score_blocks" value="1200"></label>
    <label>your public key file <input type="file" name="publickey_file" accept=".json"></label>
    <label>…or its hex <input name="publickey_hex" placeholder="0x…"></label>
    <button type="submit"${ctx.account ? '' : ' disabled'}>sign and post</button>
  </form></section>`;
}

/** A `zkml test-set` file: `{ kind, train, test_hash, rows, words }`. */
async function testSetFile(input) {
  const f = await readJsonFile(input, 'the test set file (from zkml test-set)');
  if (f.kind !== TEST_SET_KIND) throw new Error(`not a test set file from zkml test-set (kind ${f.kind})`);
  if (!Number.isInteger(f.rows) || f.rows < 1) throw new Error('the test set file has no row count');
  if (!Array.isArray(f.words)) throw new Error('the test set file has no packed words');
  fromHex(f.test_hash, 'the test set hash', 32);
  return f;
}

export function bindPostCompetition(ctx, root, refresh) {
  const form = root.querySelector('#post-competition');
  if (!form) return;
  const value = (n) => form.querySelector(`[name=${n}]`).value.trim();
  const blocks = (n) => {
    const b = Number(value(n));
    if (!Number.isInteger(b) || b < 1 || b > 5_256_000) throw new Error(`${n.replace('_', ' ')}: a whole number of blocks, 1 to 5,256,000`);
    return b;
  };
  form.onsubmit = async (ev) => {
    ev.preventDefault();
    try {
      const train = findDataset(ctx.snap, ctx.account, value('train'));
      if (!train) throw new Error('choose your training set');
      const test = await testSetFile(form.querySelector('[name=test_file]'));
      if (test.train !== train.hash) throw new Error(`the test set file was packaged for training set ${test.train}, not ${train.hash}`);
      const scoring = ctx.snap.keys.find((k) => k.registrant === ctx.account && k.hash === value('scoring_key'));
      if (!scoring) throw new Error('choose your scoring key');
      if (scoring.shape.m !== test.rows || scoring.shape.p !== train.shape.p || scoring.shape.n !== train.shape.n) {
        throw new Error(`the scoring key is for ${scoring.shape.m}×${scoring.shape.p}×${scoring.shape.n}; the test set is ${test.rows}×${train.shape.p}×${train.shape.n}`);
      }
      let validation = null;
      if (value('validation')) {
        const vkey = ctx.snap.keys.find((k) => k.registrant === ctx.account && k.hash === value('validation_key'));
        if (!vkey) throw new Error('a validation split needs your verifying key for its shape');
        validation = { dataset: value('validation'), verifyingKey: vkey.hash };
      }
      const prize = parseAmount(value('prize'), ctx.unit);
      const bond = parseAmount(value('bond'), ctx.unit);
      const shares = value('shares').split(',').map((x) => Number(x.trim()));
      if (shares.length === 0 || shares.some((x) => !Number.isInteger(x) || x < 1)) throw new Error('shares: positive whole numbers separated by commas, e.g. 60,30,10');
      const pk = await publicKeyBytes(form);
      const tx = ctx.api.tx.zkmlBounties.postCompetition(
        train.hash, validation, test.test_hash, test.rows, scoring.hash, toHex(pk), prize, bond,
        blocks('submit_blocks'), blocks('reveal_blocks'), blocks('score_blocks'), shares,
      );
      const events = await run(ctx, tx, `posting a competition with a prize of ${formatAmount(prize, ctx.unit)}`, refresh);
      const posted = events?.find((e) => e.method === 'CompetitionPosted');
      if (posted) location.hash = `#/competition/${posted.data[0].toString()}`;
    } catch (e) {
      status(`not sent: ${e.message}`, 'error');
    }
  };
}

export function revealForm(ctx, c) {
  const open = c.phase.name === 'open' && ctx.best >= c.submitUntil && ctx.best < c.revealUntil;
  if (!open) return '';
  return `<h3>Reveal the test set</h3>
  <form id="reveal"><p>Submissions are closed: the test set must go on chain by block ${c.revealUntil}, or prize and bond go to the
  committers. Anyone holding the data may reveal it.</p>
  <label>test set file (from <code>zkml test-set</code>) <input type="file" name="test_file" accept=".json"></label>
  <button type="submit"${ctx.account ? '' : ' disabled'}>sign and reveal</button></form>`;
}

export function bindReveal(ctx, root, c, refresh) {
  const form = root.querySelector('#reveal');
  if (!form) return;
  form.onsubmit = async (ev) => {
    ev.preventDefault();
    try {
      const test = await testSetFile(form.querySelector('[name=test_file]'));
      if (test.test_hash !== c.testHash) throw new Error(`that file's test set hashes to ${test.test_hash}; competition ${c.id} committed to ${c.testHash}`);
      if (test.rows !== c.testRows) throw new Error(`that file has ${test.rows} rows; the commitment is for ${c.testRows}`);
      const max = ctx.api.consts.zkmlBounties.maxRevealWords.toNumber();
      if (test.words.length > max) throw new Error(`${test.words.length} packed words exceed the chain's limit of ${max}`);
      const words = test.words.map((w, i) => toHex(fromHex(w, `word ${i}`, 32)));
      await run(ctx, ctx.api.tx.zkmlBounties.revealTestSet(c.id, words), `revealing competition ${c.id}'s test set (${words.length} words)`, refresh);
    } catch (e) {
      status(`not sent: ${e.message}`, 'error');
    }
  };
}

export async function cancelBounty(ctx, id, button, refresh) {
  button.disabled = true;
  await run(ctx, ctx.api.tx.zkmlBounties.cancelBounty(id), `cancelling bounty ${id}`, refresh);
  button.disabled = false;
}
