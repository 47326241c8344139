// The board in headless Chromium (Debian's, driven by playwright-core) against a live dev chain and IPFS
// daemon prepared by tests/web_board.rs (run that, not this file: it passes the scene in BOARD_* variables).
// Alice signs through a wallet injected into the page (test/fake-wallet.js: the extension's interface over
// dev keys); Bob copies the commands the page prints and runs them with the real `zkml`, as a competitor would.
// The story: the page lists what the CLI registered; Alice posts a bounty (same cap as the CLI's for the same
// MSE), a malformed and a runtime-refused post lose nothing; Bob claims it with the page's commands and the page
// shows the history; Alice cancels the CLI's expired bounty; a node that goes away and comes back is shown and
// reconnected; Alice posts a competition with a validation split, Bob submits, Alice reveals the test set from
// the page, Bob scores, finalizes and delivers: leaderboards, payout, plot and history follow.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { serveBoard } from '../serve.mjs';

const env = (k) => {
  const v = process.env[k];
  if (!v) throw new Error(`${k} is not set: run this through tests/web_board.rs`);
  return v;
};
const URL_ = env('ZKML_URL');
const IPFS = env('ZKML_IPFS_API');
const ZKML = env('ZKML_BIN');
const WORK = env('BOARD_WORK');
const TRAIN = env('BOARD_TRAIN_HASH');
const VAL = env('BOARD_VAL_HASH');
const TRAIN_KEY = env('BOARD_TRAIN_KEY');
const SPLIT_KEY = env('BOARD_SPLIT_KEY');
const CLI_BOUNTY = Number(env('BOARD_CLI_BOUNTY'));
const PUBLIC_KEY = env('BOARD_PUBLIC_KEY');
const TEST_SET = env('BOARD_TEST_SET');
const SHOTS = env('BOARD_SCREENSHOTS');
const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const BOB = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
mkdirSync(SHOTS, { recursive: true });

let server, browser, page;
const board = () => `http://127.0.0.1:${server.address().port}/`;

before(async () => {
  server = await serveBoard({ port: 0 });
  const wallet = await build({ entryPoints: [new URL('./fake-wallet.js', import.meta.url).pathname], bundle: true, format: 'iife', write: false, logLevel: 'warning' });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  page.on('pageerror', (e) => console.log('page error:', e.message));
  await page.addInitScript({ content: wallet.outputFiles[0].text });
});

after(async () => {
  await browser?.close();
  server?.close();
});

/** The page's state as the board holds it (window.zkmlBoard), reduced to what a test compares. */
const boardState = (fn) => page.evaluate(fn);
const bigintsAsStrings = (o) => JSON.parse(JSON.stringify(o, (_, v) => (typeof v === 'bigint' ? v.toString() : v)));

async function waitBlock(n) {
  await page.waitForFunction((n) => window.zkmlBoard.best >= n, n, { timeout: 600_000, polling: 500 });
}

/** The CLI acts on finalized state: wait until the page has seen block `n` finalized. */
async function waitFinalized(n) {
  await page.waitForFunction((n) => window.zkmlBoard.finalized >= n, n, { timeout: 600_000, polling: 500 });
}

async function txOk(what) {
  await page.waitForSelector('#tx-status[data-kind=ok], #tx-status[data-kind=error]', { timeout: 180_000 });
  const kind = await page.getAttribute('#tx-status', 'data-kind');
  const text = await page.textContent('#tx-status');
  assert.equal(kind, 'ok', `${what}: ${text}`);
  await page.evaluate(() => { document.querySelector('#tx-status').dataset.kind = ''; });
  return text;
}

async function txError(what) {
  await page.waitForSelector('#tx-status[data-kind=error]', { timeout: 180_000 });
  const text = await page.textContent('#tx-status');
  await page.evaluate(() => { document.querySelector('#tx-status').dataset.kind = ''; });
  return text;
}

async function signAs(address) {
  await page.selectOption('#account', address);
}

/** Runs each `zkml …` line of the page's command block `selector` as Bob, placeholders filled in. */
function runShownCommands(text, only) {
  const lines = text.split('\n').filter((l) => l.startsWith('zkml ') && (!only || only.some((o) => l.startsWith(`zkml ${o}`))));
  assert.ok(lines.length > 0, `no command to run in:\n${text}`);
  const outputs = [];
  for (const line of lines) {
    const args = line.replace('YOUR_SECRET_URI_FILE', join(WORK, 'bob.suri')).split(/\s+/).slice(1);
    outputs.push(JSON.parse(execFileSync(ZKML, ['--json', ...args], { cwd: WORK, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })));
  }
  return outputs;
}

test('the board lists what is on chain, live', async () => {
  await page.goto(`${board()}?rpc=${encodeURIComponent(URL_)}&ipfs=${encodeURIComponent(IPFS)}`);
  await page.waitForSelector('#connection[data-state=connected]', { timeout: 60_000 });
  await page.waitForSelector(`#datasets tr[data-dataset="${TRAIN}"]`);
  await page.waitForSelector(`#datasets tr[data-dataset="${VAL}"]`);
  await page.waitForSelector(`#keys tr[data-key="${TRAIN_KEY}"]`);
  assert.match(await page.textContent(`#keys tr[data-key="${SPLIT_KEY}"]`), /30×10×1 linear \(regressor\).*registered directly/);
  assert.match(await page.textContent(`#bounties tr[data-bounty="${CLI_BOUNTY}"]`), /1 ZKML.*MSE ≤ 3000/);
  assert.match(await page.textContent('#chain'), /Development/);
  const best = await boardState(() => window.zkmlBoard.best);
  await waitBlock(best + 1);
  assert.ok(await page.$('.countdown'), 'deadlines count down');
});

test('Alice signs in and posts a bounty: the cap is the CLI\'s for the same MSE; bad input escrows nothing', async () => {
  await page.click('#signin');
  await page.waitForSelector('#account:not([hidden])');
  assert.equal(await page.inputValue('#account'), ALICE);
  await page.click('a[href="#/post-bounty"]');
  await page.waitForSelector('#post-bounty');
  await page.selectOption('#post-bounty [name=dataset]', TRAIN);
  assert.equal(await page.inputValue('#post-bounty [name=key]'), TRAIN_KEY);
  await page.fill('#post-bounty [name=cap]', '3000');
  await page.setInputFiles('#post-bounty [name=publickey_file]', PUBLIC_KEY);

  // Malformed input is refused before the wallet is asked.
  await page.fill('#post-bounty [name=amount]', '2.5.1');
  await page.click('#post-bounty button[type=submit]');
  assert.match(await txError('bad amount'), /not sent: "2\.5\.1" is not an amount/);
  await page.fill('#post-bounty [name=amount]', '2.5');
  await page.fill('#post-bounty [name=publickey_hex]', '0x' + 'ff'.repeat(32));
  // A key of the right length that is no curve point: the runtime refuses it, the page says why, no escrow.
  await page.click('#post-bounty button[type=submit]');
  assert.match(await txError('bad key'), /zkmlBounties\.InvalidPublicKey/);
  assert.equal(await boardState(() => window.zkmlSigned.length), 1, 'only the refused post was signed');
  await page.fill('#post-bounty [name=publickey_hex]', '');

  await page.click('#post-bounty button[type=submit]');
  await txOk('post bounty');
  await page.waitForSelector('#bounty-detail');
  assert.equal(await page.textContent('#bounty-detail .amount'), '2.5 ZKML');
  const caps = bigintsAsStrings(await boardState(() => window.zkmlBoard.snap.bounties.map((b) => [b.id, b.sseCap])));
  assert.equal(caps.length, 2, JSON.stringify(caps));
  assert.equal(caps[1][1], caps[0][1], `the page's cap equals zkml add-bounty --mse 3000's: ${JSON.stringify(caps)}`);
});

test('Bob claims it with the commands the page shows, and the page tells the story', async () => {
  const id = await boardState(() => Math.max(...window.zkmlBoard.snap.bounties.map((b) => b.id)));
  await signAs(BOB);
  await page.evaluate((id) => (location.hash = `#/bounty/${id}`), id);
  await page.waitForSelector('#bounty-detail pre.commands');
  const commands = await page.textContent('#bounty-detail pre.commands');
  assert.match(commands, new RegExp(`--payment ${BOB}`));
  assert.match(commands, /--accept-unverified-key/, 'a key without a ceremony needs the flag, and the page says why');
  const [, claimed] = runShownCommands(commands);
  assert.equal(claimed.payee, BOB, JSON.stringify(claimed));
  await page.waitForFunction((id) => document.querySelector('#bounty-detail .state')?.textContent.includes('paid to'), id, { timeout: 120_000 });
  await page.waitForSelector('#bounty-detail li[data-event=BountyClaimed]', { timeout: 120_000 });
  const history = await page.$$eval('#bounty-detail li[data-event]', (els) => els.map((e) => e.dataset.event));
  assert.deepEqual(history, ['BountyPosted', 'BountyReserved', 'BountyClaimed']);
  assert.match(await page.textContent('#bounty-detail li[data-event=BountyClaimed]'), /2\.5 ZKML paid to/);
  await page.screenshot({ path: join(SHOTS, 'bounty.png'), fullPage: true });
});

test('Alice cancels the CLI\'s expired bounty from the overview', async () => {
  await signAs(ALICE);
  await page.click('a[href="#/"]');
  await page.waitForSelector(`button[data-cancel="${CLI_BOUNTY}"]`);
  await page.click(`button[data-cancel="${CLI_BOUNTY}"]`);
  await txOk('cancel');
  await page.waitForFunction((id) => document.querySelector(`#bounties tr[data-bounty="${id}"] .state`)?.textContent === 'cancelled', CLI_BOUNTY);
  await page.evaluate((id) => (location.hash = `#/bounty/${id}`), CLI_BOUNTY);
  await page.waitForSelector('#bounty-detail li[data-event=BountyCancelled]', { timeout: 60_000 });
  assert.match(await page.textContent('#bounty-detail li[data-event=BountyCancelled]'), /cancelled after expiry: 1 ZKML refunded/);
});

test('a node that goes away is shown, and the board reconnects when it is back', async () => {
  // A TCP relay in front of the node stands for it: closing it (and its connections) is the node going down.
  const [host, port] = new URL(URL_).host.split(':');
  const sockets = new Set();
  const relay = () => net.createServer((client) => {
    const upstream = net.connect(Number(port), host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {});
    }
    client.pipe(upstream).pipe(client);
  });
  let proxy = relay();
  await new Promise((r) => proxy.listen(0, '127.0.0.1', r));
  const proxyPort = proxy.address().port;
  const other = await browser.newPage();
  await other.goto(`${board()}?rpc=ws://127.0.0.1:${proxyPort}`);
  await other.waitForSelector('#connection[data-state=connected]', { timeout: 60_000 });
  await other.waitForSelector(`#bounties tr[data-bounty="${CLI_BOUNTY}"]`);
  const down = () => {
    proxy.close();
    sockets.forEach((s) => s.destroy());
  };
  down();
  await other.waitForSelector('#connection[data-state=disconnected], #connection[data-state=error]', { timeout: 30_000 });
  assert.match(await other.textContent('#connection'), /unreachable|cannot reach/);
  await other.screenshot({ path: join(SHOTS, 'disconnected.png') });
  // The data stays on screen meanwhile.
  assert.ok(await other.$(`#bounties tr[data-bounty="${CLI_BOUNTY}"]`));
  const bestBefore = await other.evaluate(() => window.zkmlBoard.best);
  proxy = relay();
  await new Promise((r) => proxy.listen(proxyPort, '127.0.0.1', r));
  await other.waitForSelector('#connection[data-state=connected]', { timeout: 60_000 });
  await other.waitForFunction((b) => window.zkmlBoard.best > b, bestBefore, { timeout: 60_000 });
  await other.close();
  down();
});

test('a competition: posted and revealed from the page, Bob competes with its commands, leaderboards follow', async () => {
  await signAs(ALICE);
  await page.click('a[href="#/post-competition"]');
  await page.waitForSelector('#post-competition button:not([disabled])');
  await page.selectOption('#post-competition [name=train]', TRAIN);
  await page.selectOption('#post-competition [name=validation]', VAL);
  await page.setInputFiles('#post-competition [name=test_file]', TEST_SET);
  await page.selectOption('#post-competition [name=scoring_key]', SPLIT_KEY);
  await page.selectOption('#post-competition [name=validation_key]', SPLIT_KEY);
  await page.fill('#post-competition [name=prize]', '3');
  await page.fill('#post-competition [name=bond]', '1');
  await page.fill('#post-competition [name=shares]', '1');
  await page.fill('#post-competition [name=submit_blocks]', '15');
  await page.fill('#post-competition [name=reveal_blocks]', '20');
  await page.fill('#post-competition [name=score_blocks]', '10');
  await page.setInputFiles('#post-competition [name=publickey_file]', PUBLIC_KEY);
  await page.click('#post-competition button[type=submit]');
  await txOk('post competition');
  await page.waitForSelector('#competition-detail');
  const c = bigintsAsStrings(await boardState(() => window.zkmlBoard.snap.competitions.at(-1)));
  const testSet = JSON.parse(readFileSync(TEST_SET, 'utf8'));
  assert.equal(c.testHash, testSet.test_hash, 'the commitment is the packaged test set\'s hash');
  assert.equal(c.testRows, 30);
  assert.match(await page.textContent('#competition-detail .state'), /taking submissions/);
  assert.match(await page.textContent('#competition-detail .reveal'), /not yet/);

  // Bob, from the page's commands: download both splits, submit with a proven validation score.
  await signAs(BOB);
  const commands = await page.textContent('#competition-detail pre.commands');
  const outputs = runShownCommands(commands, ['download-dataset', 'submit']);
  assert.ok(outputs.at(-1).public_score, JSON.stringify(outputs.at(-1)));
  await page.waitForSelector('#public-leaderboard tr[data-submission="0"]', { timeout: 120_000 });
  assert.match(await page.textContent('#public-leaderboard tr[data-submission="0"] .score'), /MSE ≤ \d/);

  // After submissions close the page offers the reveal to whoever holds the file; Alice sends it.
  await signAs(ALICE);
  await waitBlock(c.submitUntil);
  await page.waitForSelector('#reveal button:not([disabled])', { timeout: 120_000 });
  await page.setInputFiles('#reveal [name=test_file]', TEST_SET);
  await page.click('#reveal button[type=submit]');
  await txOk('reveal');
  await page.waitForFunction(() => /scoring/.test(document.querySelector('#competition-detail .state')?.textContent), null, { timeout: 60_000 });
  assert.match(await page.textContent('#competition-detail .reveal'), /revealed in extrinsic \d+ of block \d+/);

  // Bob scores, and once the window closes finalizes and delivers, all with the page's commands.
  await signAs(BOB);
  const scored = runShownCommands(await page.textContent('#competition-detail pre.commands'), ['score']);
  assert.equal(scored[0].scored.length, 1, JSON.stringify(scored));
  await page.waitForSelector('#private-leaderboard tr[data-submission="0"]', { timeout: 120_000 });
  assert.match(await page.textContent('#private-leaderboard tr[data-submission="0"]'), /^1#0.*MSE ≤ \d.*100 % if it stays here/);
  const scoreUntil = await boardState(() => window.zkmlBoard.snap.competitions.at(-1).phase.scoreUntil);
  await waitFinalized(scoreUntil + 1);
  runShownCommands(await page.textContent('#competition-detail pre.commands'), ['finalize', 'deliver-model']);
  await page.waitForSelector('#private-leaderboard .payout .paid', { timeout: 120_000 });
  assert.match(await page.textContent('#private-leaderboard .payout'), /3 ZKML paid/);
  await page.waitForSelector('#competition-detail li[data-event=WinnerPaid]', { timeout: 120_000 });
  const history = await page.$$eval('#competition-detail li[data-event]', (els) => els.map((e) => e.dataset.event));
  assert.deepEqual(history, ['CompetitionPosted', 'Submitted', 'TestSetRevealed', 'Scored', 'CompetitionFinalized', 'WinnerPaid']);
  assert.equal(await page.$$eval('#competition-detail svg.plot circle', (els) => els.length), 2, 'one public and one private score plotted');
  assert.match(await page.textContent('#competition-detail li[data-event=Scored]'), /scored MSE ≤ [\d.]+, rank 1, payee/);
  await page.screenshot({ path: join(SHOTS, 'competition.png'), fullPage: true });
  await page.click('a[href="#/"]');
  await page.waitForSelector('#competitions');
  await page.screenshot({ path: join(SHOTS, 'overview.png'), fullPage: true });
});
