// Rendering: markup strings from a snapshot (src/chain.js), the history (src/history.js) and the page's
// context. No state lives here; `main.js` decides when to render.
import { bountyCommands, competitionCommands, organizerCommands } from './commands.js';
import { findDataset, findKey, taskText } from './chain.js';
import { describeScore, esc, formatAmount, formatNumber, mseOfSse, scoreValue, short } from './format.js';
import { scorePlot } from './plot.js';

/** An account or hash, shortened, with the full value on hover. */
const id = (v) => `<code title="${esc(v)}">${esc(short(v, 6))}</code>`;
const you = (ctx, a) => (ctx.account && a === ctx.account ? ' <span class="you">you</span>' : '');
/** A block deadline whose countdown `main.js` refreshes every second. */
const deadline = (block) => `<span class="countdown" data-block="${block}"></span>`;

function ipfsLink(ctx, cid) {
  if (!cid) return '<span class="muted">none</span>';
  return `<a href="${esc(ctx.ipfs)}/api/v0/cat?arg=${encodeURIComponent(cid)}" target="_blank" rel="noopener">${esc(short(cid, 8))}</a>`;
}

/** How a metric reads for a key's task and a dataset's shape and scales. */
export function metricFor(key, shape, dataset) {
  return { task: key?.model.task ?? { classification: false }, shape, yFracBits: dataset?.yFracBits ?? 0 };
}

function capText(b, key, dataset) {
  if (!key || !dataset) return esc(b.sseCap.toString());
  if (key.model.task.classification) return `≤ ${b.sseCap} of ${dataset.shape.m} misclassified`;
  return `MSE ≤ ${esc(formatNumber(mseOfSse(b.sseCap, dataset.shape, dataset.yFracBits)))}`;
}

function bountyState(b, best) {
  const s = b.state;
  if (s.name === 'open') return best > b.expiresAt ? 'expired (open)' : 'open';
  if (s.name === 'reserved') return `reserved: deliver by block ${s.deliverBy}`;
  if (s.name === 'paid') return 'paid';
  return 'cancelled';
}

function competitionState(c, best) {
  const p = c.phase;
  if (p.name === 'open') {
    if (best <= c.submitUntil) return 'taking submissions';
    return best <= c.revealUntil ? 'awaiting the test set' : 'reveal missed: forfeit due';
  }
  if (p.name === 'revealed') return best <= p.scoreUntil ? 'scoring' : 'scoring closed: finalize due';
  if (p.name === 'finalized') return 'finalized: winners deliver';
  return 'forfeited to the committers';
}

export function overview(s, ctx) {
  const { unit, best } = ctx;
  const comps = s.competitions.length
    ? `<table id="competitions"><thead><tr><th>#</th><th>organizer</th><th>prize</th><th>submissions</th><th>state</th><th>next deadline</th></tr></thead><tbody>${s.competitions
        .map((c) => {
          const next = c.phase.name === 'open' ? (best <= c.submitUntil ? c.submitUntil : c.revealUntil) : c.phase.name === 'revealed' ? c.phase.scoreUntil : null;
          return `<tr data-competition="${c.id}"><td><a href="#/competition/${c.id}">${c.id}</a></td><td>${id(c.organizer)}${you(ctx, c.organizer)}</td><td>${esc(formatAmount(c.prize, unit))}</td><td>${c.submissions}</td><td class="state">${esc(competitionState(c, best))}</td><td>${next === null ? '—' : deadline(next)}</td></tr>`;
        })
        .join('')}</tbody></table>`
    : '<p class="muted">No competitions.</p>';
  const bounties = s.bounties.length
    ? `<table id="bounties"><thead><tr><th>#</th><th>issuer</th><th>amount</th><th>cap</th><th>expires</th><th>state</th><th></th></tr></thead><tbody>${s.bounties
        .map((b) => {
          const ds = findDataset(s, b.issuer, b.dataset);
          const key = findKey(s, b.issuer, b.verifyingKey);
          const cancel = ctx.account === b.issuer && b.state.name === 'open' && best > b.expiresAt
            ? `<button class="cancel" data-cancel="${b.id}">cancel and refund</button>` : '';
          return `<tr data-bounty="${b.id}"><td><a href="#/bounty/${b.id}">${b.id}</a></td><td>${id(b.issuer)}${you(ctx, b.issuer)}</td><td>${esc(formatAmount(b.amount, unit))}</td><td class="cap">${capText(b, key, ds)}</td><td>${b.state.name === 'open' ? deadline(b.expiresAt) : '—'}</td><td class="state">${esc(bountyState(b, best))}</td><td>${cancel}</td></tr>`;
        })
        .join('')}</tbody></table>`
    : '<p class="muted">No bounties.</p>';
  const datasets = s.datasets.length
    ? `<table id="datasets"><thead><tr><th>hash</th><th>organizer</th><th>shape m×p×n</th><th>IPFS</th><th>registered</th><th>used by</th></tr></thead><tbody>${s.datasets
        .map((d) => `<tr data-dataset="${esc(d.hash)}"><td>${id(d.hash)}</td><td>${id(d.organizer)}${you(ctx, d.organizer)}</td><td>${d.shape.m}×${d.shape.p}×${d.shape.n}</td><td>${ipfsLink(ctx, d.cid)}</td><td>block ${d.createdAt}</td><td>${d.bounties === 1 ? '1 bounty' : `${d.bounties} bounties`}</td></tr>`)
        .join('')}</tbody></table>`
    : '<p class="muted">No datasets.</p>';
  const keys = s.keys.length
    ? `<table id="keys"><thead><tr><th>key</th><th>registrant</th><th>circuit</th><th>provenance</th></tr></thead><tbody>${s.keys.map((k) => `<tr data-key="${esc(k.hash)}"><td>${id(k.hash)}</td><td>${id(k.registrant)}${you(ctx, k.registrant)}</td><td>${k.shape.m}×${k.shape.p}×${k.shape.n} ${esc(k.model.text)} (${esc(taskText(k.model.task))})</td><td>${provenance(s, k)}</td></tr>`).join('')}</tbody></table>`
    : '<p class="muted">No verifying keys.</p>';
  // Open ceremonies invite contributions: a competitor who contributes needs to trust no one else.
  const open = s.ceremonies.filter((c) => c.phase.name !== 'finished');
  const ceremonies = open.length
    ? `<table id="ceremonies"><thead><tr><th>#</th><th>coordinator</th><th>circuit</th><th>phase</th><th>contributions</th><th>closes</th><th>join</th></tr></thead><tbody>${open
        .map((c) => `<tr data-ceremony="${c.id}"><td>${c.id}</td><td>${id(c.coordinator)}${you(ctx, c.coordinator)}</td><td>${c.shape.m}×${c.shape.p}×${c.shape.n} ${esc(c.model.text)}</td><td>${esc(c.phase.name)}</td><td>${c.phase1.length} + ${c.phase2.length}</td><td>${deadline(c.phase.endsAt)}</td><td><code>zkml ceremony contribute --ceremony ${c.id} --url ${esc(ctx.rpc)} --ipfs-api ${esc(ctx.ipfs)} --key-file YOUR_SECRET_URI_FILE</code></td></tr>`)
        .join('')}</tbody></table>`
    : '<p class="muted">No ceremony is open.</p>';
  return `<section><h2>Competitions</h2>${comps}</section><section><h2>Bounties</h2>${bounties}</section><section><h2>Key ceremonies open for contributions</h2>${ceremonies}</section><section><h2>Datasets</h2>${datasets}</section><section><h2>Verifying keys</h2>${keys}</section>`;
}

/** Where a key came from: its ceremony (coordinator, contributors, beacons) or a warning. */
export function provenance(s, k) {
  if (k.ceremony === null) {
    return `<span class="warn">registered directly: whoever made it may know its setup secrets and forge proofs</span>`;
  }
  const c = s.ceremonies.find((c) => c.id === k.ceremony);
  if (!c) return `ceremony ${k.ceremony} (record removed)`;
  const people = (list) => list.filter((x) => !x.beacon).map((x) => id(x.contributor)).join(', ') || 'none';
  return `<details class="ceremony" data-ceremony="${c.id}"><summary>ceremony ${c.id}: ${c.phase1.filter((x) => !x.beacon).length} + ${c.phase2.filter((x) => !x.beacon).length} contributions, ${esc(c.phase.name)}</summary>
    <p>coordinator ${id(c.coordinator)}; powers of tau 2^${c.power}</p>
    <p>phase 1: ${people(c.phase1)}; beacon ${c.phase1Beacon ? id(c.phase1Beacon) : '—'}</p>
    <p>phase 2: ${people(c.phase2)}; beacon ${c.phase2Beacon ? id(c.phase2Beacon) : '—'}</p>
    <p class="muted">Check the transcript yourself: <code>zkml ceremony verify --ceremony ${c.id}</code></p></details>`;
}

function historyList(events, ctx, describe) {
  const hist = ctx.history;
  const note = hist.prunedBelow !== null
    ? `<p class="muted">This node keeps no state before block ${hist.prunedBelow}: older events are not shown (run the node with <code>--state-pruning archive</code> for the whole history).</p>`
    : hist.earliest !== null && hist.earliest > 1
      ? `<p class="muted">History read back to block ${hist.earliest}.</p>`
      : '';
  const loading = hist.loading ? `<p class="muted">reading history… (back to block ${hist.earliest ?? '…'} so far)</p>` : '';
  if (events.length === 0) return `${loading}<p class="muted">No events seen.</p>${note}`;
  return `${loading}<ol class="history">${events.map((e) => `<li data-event="${esc(e.name)}"><span class="block">#${e.block}</span> ${describe(e)}</li>`).join('')}</ol>${note}`;
}

function describeBountyEvent(e, ctx) {
  const f = e.fields, amt = (a) => esc(formatAmount(a, ctx.unit));
  switch (e.name) {
    case 'BountyPosted': return `posted by ${id(f.issuer)} with ${amt(f.amount)}, expiring at block ${f.expiresAt}`;
    case 'BountyReserved': return `claimed (proof verified) by ${id(f.claimant)} for payee ${id(f.payee)}: reserved until block ${f.deliverBy}`;
    case 'BountyClaimed': return `model delivered: ${amt(f.amount)} paid to ${id(f.payee)}`;
    case 'ReservationLapsed': return `reservation lapsed: ${id(f.claimant)}'s bond of ${amt(f.forfeited)} slashed to the issuer`;
    case 'BountyCancelled': return `cancelled after expiry: ${amt(f.refunded)} refunded`;
    case 'BountyRemoved': return 'record removed';
    default: return esc(e.name);
  }
}

function describeCompetitionEvent(e, ctx, metric) {
  const f = e.fields, amt = (a) => esc(formatAmount(a, ctx.unit));
  switch (e.name) {
    case 'CompetitionPosted': return `posted by ${id(f.organizer)}: prize ${amt(f.prize)}, reveal bond ${amt(f.bond)}; submissions until block ${f.submitUntil}, reveal by ${f.revealUntil}`;
    case 'Submitted': return `submission ${f.index} by ${id(f.submitter)}${f.publicScore !== null ? `, public score ${esc(describeScore(f.publicScore, metric.validation ?? metric.test))}` : ''}`;
    case 'TestSetRevealed': return `test set revealed (extrinsic ${f.extrinsic} of block ${f.at}); scoring until block ${f.scoreUntil}`;
    case 'Scored': return `submission ${f.index} scored ${esc(describeScore(f.score, metric.test))}, rank ${f.rank}, payee ${id(f.payee)}`;
    case 'CompetitionForfeited': return `forfeited: ${amt(f.paid)} paid to ${f.submissions} committers, ${amt(f.returned)} returned`;
    case 'CompetitionFinalized': return `finalized: winners ${f.winners.map((w) => `#${w}`).join(', ') || 'none'}, deliver by block ${f.deliverBy}`;
    case 'SlotPassed': return `slot ${f.slot} passed from #${f.from} to ${f.to === null ? 'the organizer' : `#${f.to}`}`;
    case 'WinnerPaid': return `submission ${f.index} delivered and was paid ${amt(f.amount)} (slot ${f.slot}) to ${id(f.payee)}`;
    default: return esc(e.name);
  }
}

export function bountyDetail(s, b, ctx) {
  if (!b) return '<p class="error">No such bounty on chain (removed, or not yet posted).</p>';
  const ds = findDataset(s, b.issuer, b.dataset);
  const key = findKey(s, b.issuer, b.verifyingKey);
  const st = b.state;
  const state = st.name === 'reserved'
    ? `reserved by ${id(st.claimant)} for ${id(st.payee)}, delivery by block ${st.deliverBy} ${deadline(st.deliverBy)}`
    : st.name === 'paid' ? `paid to ${id(st.payee)}${s.claims.has(b.id) ? ' (envelope stored for the issuer)' : ''}` : esc(bountyState(b, ctx.best));
  return `<section id="bounty-detail" data-bounty="${b.id}"><h2>Bounty ${b.id}</h2>
    <dl>
      <dt>issuer</dt><dd>${id(b.issuer)}${you(ctx, b.issuer)}</dd>
      <dt>amount</dt><dd class="amount">${esc(formatAmount(b.amount, ctx.unit))}</dd>
      <dt>cap</dt><dd class="cap">${capText(b, key, ds)}</dd>
      <dt>dataset</dt><dd>${id(b.dataset)} ${ds ? `${ds.shape.m}×${ds.shape.p}×${ds.shape.n}, ${ipfsLink(ctx, ds.cid)}` : ''}</dd>
      <dt>model</dt><dd>${key ? `${esc(key.model.text)} (${esc(taskText(key.model.task))}), ${b.params} encrypted parameters` : '?'}</dd>
      <dt>key</dt><dd>${id(b.verifyingKey)} ${key ? provenance(s, key) : ''}</dd>
      <dt>expires</dt><dd>${b.state.name === 'open' ? deadline(b.expiresAt) : `block ${b.expiresAt}`}</dd>
      <dt>state</dt><dd class="state">${state}</dd>
    </dl>
    <h3>History</h3>${historyList(ctx.history.of(`bounty:${b.id}`), ctx, (e) => describeBountyEvent(e, ctx))}
    <h3>Claim it</h3><p>Proving happens on your machine with the <code>zkml</code> CLI:</p>
    <pre class="commands">${esc(bountyCommands(b, ds, key, ctx))}</pre></section>`;
}

/** How each leaderboard's scores read: the validation split's and the test set's shapes and scales. */
export function competitionMetric(s, c) {
  const train = findDataset(s, c.organizer, c.trainDataset);
  const scoring = findKey(s, c.organizer, c.scoringKey);
  const test = metricFor(scoring, { m: c.testRows, p: train?.shape.p ?? 0, n: train?.shape.n ?? 1 }, train);
  let validation = null;
  if (c.validation) {
    const vds = findDataset(s, c.organizer, c.validation.dataset);
    const vkey = findKey(s, c.organizer, c.validation.verifyingKey);
    if (vds) validation = metricFor(vkey ?? scoring, vds.shape, vds);
  }
  return { test, validation, scoring, train };
}

export function competitionDetail(s, c, ctx) {
  if (!c) return '<p class="error">No such competition on chain.</p>';
  const metric = competitionMetric(s, c);
  const subs = s.submissions.filter((x) => x.competition === c.id).sort((a, b) => a.index - b.index);
  const totalShares = c.shares.reduce((a, b) => a + b, 0) || 1;
  const pub = subs.filter((x) => x.publicScore !== null).sort((a, b) => (a.publicScore < b.publicScore ? -1 : a.publicScore > b.publicScore ? 1 : a.index - b.index));
  const pubTable = c.validation
    ? pub.length
      ? `<table id="public-leaderboard"><thead><tr><th>rank</th><th>submission</th><th>by</th><th>validation score</th><th>block</th></tr></thead><tbody>${pub.map((x, i) => `<tr data-submission="${x.index}"><td>${i + 1}</td><td>#${x.index}</td><td>${id(x.submitter)}${you(ctx, x.submitter)}</td><td class="score">${esc(describeScore(x.publicScore, metric.validation ?? metric.test))}</td><td>${x.at}</td></tr>`).join('')}</tbody></table>`
      : '<p class="muted">No proven validation scores yet.</p>'
    : '<p class="muted">This competition has no public validation split.</p>';
  const slotOf = (index) => c.slots.findIndex((sl) => sl.holder === index);
  const privTable = c.ranking.length
    ? `<table id="private-leaderboard"><thead><tr><th>rank</th><th>submission</th><th>by</th><th>test score</th><th>payout</th></tr></thead><tbody>${c.ranking
        .map((r, i) => {
          const sub = subs.find((x) => x.index === r.index);
          const slot = slotOf(r.index);
          const payout = slot >= 0
            ? `${esc(formatAmount(c.slots[slot].share, ctx.unit))} ${c.slots[slot].delivered ? '<span class="paid">paid</span>' : `— deliver by block ${c.slots[slot].deliverBy}`}`
            : c.phase.name === 'finalized' ? '—' : i < c.shares.length ? `${Math.round((c.shares[i] / totalShares) * 100)} % if it stays here` : '—';
          return `<tr data-submission="${r.index}"><td>${i + 1}</td><td>#${r.index}</td><td>${sub ? id(sub.submitter) + you(ctx, sub.submitter) : '?'}</td><td class="score">${esc(describeScore(r.score, metric.test))}</td><td class="payout">${payout}</td></tr>`;
        })
        .join('')}</tbody></table>`
    : c.phase.name === 'open' ? '<p class="muted">The test set is hidden until submissions close: no private scores yet.</p>' : '<p class="muted">No proven test scores yet.</p>';
  const p = c.phase;
  const reveal = p.name === 'open'
    ? `not yet: submissions close ${deadline(c.submitUntil)}; reveal due by ${deadline(c.revealUntil)}`
    : p.name === 'forfeited' ? 'never revealed: prize and bond went to the committers' : `revealed in extrinsic ${p.extrinsic} of block ${p.at}${p.name === 'revealed' ? `; scoring closes ${deadline(p.scoreUntil)}` : ''}`;
  const events = ctx.history.of(`competition:${c.id}`);
  const points = (name) => events.filter((e) => e.name === name);
  const series = [
    { name: 'validation (public)', cls: 'public', points: metric.validation ? points('Submitted').filter((e) => e.fields.publicScore !== null).map((e) => ({ block: e.block, value: scoreValue(e.fields.publicScore, metric.validation), label: `#${e.fields.index}: ${describeScore(e.fields.publicScore, metric.validation)} at block ${e.block}` })) : [] },
    { name: 'test (private)', cls: 'private', points: points('Scored').map((e) => ({ block: e.block, value: scoreValue(e.fields.score, metric.test), label: `#${e.fields.index}: ${describeScore(e.fields.score, metric.test)} at block ${e.block}` })) },
  ];
  const yLabel = metric.test.task.classification ? 'error rate' : 'MSE';
  const organizerTools = ctx.account === c.organizer ? `<h3>Organizer</h3><pre class="commands">${esc(organizerCommands(c, ctx))}</pre>` : '';
  return `<section id="competition-detail" data-competition="${c.id}"><h2>Competition ${c.id}</h2>
    <dl>
      <dt>organizer</dt><dd>${id(c.organizer)}${you(ctx, c.organizer)}</dd>
      <dt>prize</dt><dd class="amount">${esc(formatAmount(c.prize, ctx.unit))}, split ${c.shares.map((x) => Math.round((x / totalShares) * 100) + ' %').join(' / ')}; reveal bond ${esc(formatAmount(c.bond, ctx.unit))}</dd>
      <dt>state</dt><dd class="state">${esc(competitionState(c, ctx.best))}</dd>
      <dt>submissions</dt><dd class="submissions">${c.submissions}</dd>
      <dt>test set</dt><dd class="reveal">${id(c.testHash)}, ${c.testRows} rows: ${reveal}</dd>
      <dt>training set</dt><dd>${id(c.trainDataset)} ${metric.train ? ipfsLink(ctx, metric.train.cid) : ''}</dd>
      <dt>model</dt><dd>${metric.scoring ? `${esc(metric.scoring.model.text)} (${esc(taskText(metric.scoring.model.task))})` : '?'}; scoring key ${id(c.scoringKey)} ${metric.scoring ? provenance(s, metric.scoring) : ''}</dd>
    </dl>
    <h3>Scores over time</h3>${scorePlot(series, { yLabel })}
    <h3>Public leaderboard (validation split)</h3>${pubTable}
    <h3>Private leaderboard (hidden test set)</h3>${privTable}
    <div id="reveal-action"></div>
    <h3>History</h3>${historyList(events, ctx, (e) => describeCompetitionEvent(e, ctx, metric))}
    <h3>Compete</h3><p>Proving happens on your machine with the <code>zkml</code> CLI:</p>
    <pre class="commands">${esc(competitionCommands(c, metric.scoring, ctx))}</pre>${organizerTools}</section>`;
}
