// The board's pure parts, in Node: units, countdowns, the MSE → SSE cap conversion (against the CLI's own
// numbers), rendering of leaderboards, provenance and plots from hand-made snapshots.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bountyCommands, competitionCommands } from '../src/commands.js';
import { countdown, describeScore, formatAmount, fromHex, mseOfSse, parseAmount, plainEndpoint, sseCap } from '../src/format.js';
import { scorePlot } from '../src/plot.js';
import { competitionDetail, overview, provenance } from '../src/views.js';

const unit = { decimals: 12, symbol: 'Unit' };

test('amounts are shown and parsed in the chain units, never guessed', () => {
  assert.equal(formatAmount(5_000_000_000_000n, unit), '5 Unit');
  assert.equal(formatAmount(5_022_019_048_873n, unit), '5.022019048873 Unit');
  assert.equal(formatAmount(1_234_500_000_000_000n, unit), '1,234.5 Unit');
  assert.equal(formatAmount(1n, unit), '0.000000000001 Unit');
  assert.equal(parseAmount('5', unit), 5_000_000_000_000n);
  assert.equal(parseAmount('0.25', unit), 250_000_000_000n);
  assert.equal(parseAmount('.5', unit), 500_000_000_000n);
  assert.equal(parseAmount('1.000000000001', unit), 1_000_000_000_001n);
  for (const bad of ['', '.', '-1', '1e3', '1.0000000000001', '5 Unit', 'NaN', '0x10']) {
    assert.throws(() => parseAmount(bad, unit), /amount|decimal/, bad);
  }
});

test('countdowns count blocks of the chain time, and a deadline block is still open', () => {
  const now = 1_000_000;
  assert.equal(countdown(110, 100, now, 6000, now).text, '1 min 06 s left (block 110, 10 to go)');
  assert.equal(countdown(110, 100, now - 4000, 6000, now).text, '1 min 02 s left (block 110, 10 to go)');
  assert.equal(countdown(100, 100, now, 6000, now).passed, false);
  assert.equal(countdown(99, 100, now, 6000, now).passed, true);
  assert.equal(countdown(100 + 14400, 100, now, 6000, now).text, '1 d 0 h left (block 14500, 14400 to go)');
});

test('the MSE cap converts to the SSE cap the CLI computes', () => {
  // circuits/src/quant.rs: ⌊mse · m·n · 2^(2(fy+16))⌋ (the e2e test compares with `zkml add-bounty --mse` on a chain).
  const diabetes = { m: 442, p: 10, n: 1 };
  assert.equal(sseCap(3000, diabetes, -9), BigInt(Math.floor(3000 * 442 * 2 ** 14)));
  assert.equal(sseCap(3000, diabetes, -9), 21_725_184_000n);
  assert.equal(sseCap(0.5, { m: 40, p: 3, n: 1 }, 10), 20n * 2n ** 52n);
  assert.ok(Math.abs(mseOfSse(21_725_184_000n, diabetes, -9) - 3000) < 1e-9);
  assert.throws(() => sseCap(NaN, diabetes, -9), /finite/);
  assert.throws(() => sseCap(-1, diabetes, -9), /non-negative/);
  assert.throws(() => sseCap(1e30, diabetes, 20), /2\^128/);
});

test('endpoints from a link are plain URLs or ignored: no script, no shell in the printed commands', () => {
  assert.equal(plainEndpoint('ws://127.0.0.1:9944', ['ws', 'wss']), 'ws://127.0.0.1:9944');
  assert.equal(plainEndpoint('wss://rpc.example.org/ws/', ['ws', 'wss']), 'wss://rpc.example.org/ws');
  assert.equal(plainEndpoint('http://127.0.0.1:5001', ['http', 'https']), 'http://127.0.0.1:5001');
  for (const bad of ['javascript:alert(1)//', 'ws://x;rm -rf ~', 'ws://a b', 'ws://x/$(id)', 'http://127.0.0.1:5001', 'ws://x:123456']) {
    assert.equal(plainEndpoint(bad, ['ws', 'wss']), null, bad);
  }
});

test('hex input is checked for length and digits', () => {
  assert.deepEqual(Array.from(fromHex('0x0102', 'x', 2)), [1, 2]);
  assert.throws(() => fromHex('0x01', 'the key', 32), /32 bytes/);
  assert.throws(() => fromHex('0xzz', 'the key'), /not hex/);
});

const alice = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const bob = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
const h = (b) => '0x' + b.repeat(64);

function snapshot() {
  const regression = { name: 'linear', task: { classification: false }, text: 'linear' };
  return {
    datasets: [
      { hash: h('1'), organizer: alice, cid: 'bafytrain', shape: { m: 40, p: 3, n: 1 }, xFracBits: [10, 10, 10], yFracBits: 10, createdAt: 3, bounties: 1 },
      { hash: h('2'), organizer: alice, cid: 'bafyval', shape: { m: 20, p: 3, n: 1 }, xFracBits: [10, 10, 10], yFracBits: 10, createdAt: 4, bounties: 0 },
    ],
    keys: [
      { hash: h('a'), registrant: alice, shape: { m: 40, p: 3, n: 1 }, model: regression, provingKeyCid: '', bounties: 1, ceremony: 0 },
      { hash: h('b'), registrant: alice, shape: { m: 20, p: 3, n: 1 }, model: regression, provingKeyCid: '', bounties: 0, ceremony: null },
    ],
    ceremonies: [
      {
        id: 0, coordinator: alice, shape: { m: 40, p: 3, n: 1 }, model: regression, power: 12, phase: { name: 'finished', keyHash: h('a') },
        phase1: [{ contributor: alice, beacon: false }, { contributor: bob, beacon: false }, { contributor: alice, beacon: true }],
        phase2: [{ contributor: bob, beacon: false }, { contributor: alice, beacon: true }],
        phase1Beacon: h('c'), phase2Beacon: h('d'),
      },
    ],
    bounties: [
      { id: 0, issuer: alice, dataset: h('1'), verifyingKey: h('a'), sseCap: sseCap(0.5, { m: 40, p: 3, n: 1 }, 10), amount: 5_000_000_000_000n, expiresAt: 50, params: 4, state: { name: 'open' } },
    ],
    competitions: [
      {
        id: 0, organizer: alice, trainDataset: h('1'), validation: { dataset: h('2'), verifyingKey: h('b') }, testHash: h('e'), testRows: 20,
        scoringKey: h('b'), prize: 10_000_000_000_000n, bond: 1_000_000_000_000n, submitUntil: 30, revealUntil: 40, scoreBlocks: 10,
        shares: [70, 30], phase: { name: 'finalized', at: 35, extrinsic: 1 }, submissions: 2,
        ranking: [{ score: 2n ** 52n, index: 1 }, { score: 3n * 2n ** 52n, index: 0 }],
        slots: [
          { share: 7_000_000_000_000n, holder: 1, deliverBy: 100, delivered: true },
          { share: 3_000_000_000_000n, holder: 0, deliverBy: 100, delivered: false },
        ],
      },
    ],
    submissions: [
      { competition: 0, index: 0, submitter: alice, commitment: h('f'), at: 10, publicScore: 2n * 2n ** 52n, score: null, deposit: 0n, delivered: false },
      { competition: 0, index: 1, submitter: bob, commitment: h('9'), at: 12, publicScore: null, score: null, deposit: 0n, delivered: true },
    ],
    claims: new Set(),
  };
}

const history = (events) => ({ of: () => events, prunedBelow: null, earliest: 1, loading: false });
const ctx = (extra = {}) => ({ rpc: 'ws://127.0.0.1:9944', ipfs: 'http://127.0.0.1:5001', unit, best: 60, account: bob, history: history([]), ...extra });

test('a key shows its ceremony: coordinator, contributors of each phase, beacons; a direct key is flagged', () => {
  const s = snapshot();
  const made = provenance(s, s.keys[0]);
  assert.match(made, /ceremony 0: 2 \+ 1 contributions, finished/);
  assert.match(made, /zkml ceremony verify --ceremony 0/);
  assert.match(provenance(s, s.keys[1]), /registered directly: whoever made it may know its setup secrets/);
});

test('the overview lists every record with amounts in units and state', () => {
  const html = overview(snapshot(), ctx());
  assert.match(html, /data-bounty="0"/);
  assert.match(html, /5 Unit/);
  assert.match(html, /MSE ≤ 0.5/);
  assert.match(html, /finalized: winners deliver/);
  assert.match(html, /40×3×1/);
  assert.doesNotMatch(html, /data-cancel/, 'only the issuer, after expiry, gets a cancel button');
  assert.match(overview(snapshot(), ctx({ account: alice })), /data-cancel="0"/);
  assert.doesNotMatch(overview(snapshot(), ctx({ account: alice, best: 50 })), /data-cancel/, 'the expiry block itself still takes claims');
});

test('open ceremonies are listed with their deadline and the command to join', () => {
  const s = snapshot();
  assert.doesNotMatch(overview(s, ctx()), /id="ceremonies"/, 'a finished ceremony is not open');
  s.ceremonies.push({ ...s.ceremonies[0], id: 1, phase: { name: 'phase 1', endsAt: 90 }, phase1: [], phase2: [] });
  const html = overview(s, ctx());
  assert.match(html, /<tr data-ceremony="1">.*phase 1.*data-block="90".*zkml ceremony contribute --ceremony 1 --url ws:\/\/127\.0\.0\.1:9944/s);
});

test('a competition shows both leaderboards, payouts and a plot of the proven scores', () => {
  const events = [
    { block: 10, name: 'Submitted', fields: { competition: 0n, index: 0n, submitter: alice, publicScore: 2n * 2n ** 52n } },
    { block: 12, name: 'Submitted', fields: { competition: 0n, index: 1n, submitter: bob, publicScore: null } },
    { block: 33, name: 'Scored', fields: { competition: 0n, index: 1n, score: 2n ** 52n, payee: bob, rank: 1n } },
    { block: 34, name: 'Scored', fields: { competition: 0n, index: 0n, score: 3n * 2n ** 52n, payee: alice, rank: 2n } },
    { block: 36, name: 'WinnerPaid', fields: { competition: 0n, index: 1n, slot: 0n, payee: bob, amount: 7_000_000_000_000n } },
  ];
  const s = snapshot();
  const html = competitionDetail(s, s.competitions[0], ctx({ history: history(events) }));
  const priv = html.slice(html.indexOf('id="private-leaderboard"'));
  // Rank 1 is submission 1 (MSE 0.05: 2^52 / 20 / 2^52), paid; rank 2 is submission 0, awaiting delivery.
  assert.match(priv, /<td>1<\/td><td>#1<\/td>.*MSE ≤ 0\.05.*7 Unit <span class="paid">paid/s);
  assert.match(priv, /<td>2<\/td><td>#0<\/td>.*MSE ≤ 0\.15.*3 Unit — deliver by block 100/s);
  assert.match(html, /id="public-leaderboard".*#0.*MSE ≤ 0\.1/s);
  assert.equal((html.match(/<circle/g) ?? []).length, 3, 'one dot per proven score: one public, two private');
  assert.match(html, /submission 1 delivered and was paid 7 Unit/);
  assert.match(html, /submission 0 scored MSE ≤ 0\.15, rank 2/, 'the event\'s rank is already 1-based');
  assert.match(html, /70 % \/ 30 %/);
  assert.equal(describeScore(3n, { task: { classification: true, classes: 2 }, shape: { m: 20 } }), '3 misclassified (accuracy ≥ 85.00 %)');
});

test('the plot says so when there is nothing to plot', () => {
  assert.match(scorePlot([{ name: 'x', cls: 'public', points: [] }], { yLabel: 'MSE' }), /No proven scores yet/);
});

test('the commands name the ids, endpoints and the flags the key needs', () => {
  const s = snapshot();
  const withCeremony = bountyCommands(s.bounties[0], s.datasets[0], s.keys[0], ctx());
  assert.match(withCeremony, /zkml ceremony verify --ceremony 0 --url ws:\/\/127\.0\.0\.1:9944/);
  assert.match(withCeremony, new RegExp(`zkml claim-bounty --bounty 0 --payment ${bob} --model \\./model --dataset \\./bounty-0-data --key-file`));
  assert.doesNotMatch(withCeremony, /accept-unverified-key/);
  const direct = competitionCommands(s.competitions[0], s.keys[1], ctx());
  assert.match(direct, /zkml submit --competition 0 --model \.\/model --train \.\/competition-0-train --validation \.\/competition-0-validation --accept-unverified-key/);
  assert.match(direct, /may be able to forge proofs/);
});
