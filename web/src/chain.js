// Reading the chain: one connection (reconnecting by itself), and snapshots of the bounty pallet's storage as
// plain objects. Everything shown comes from the node; nothing is cached across reloads.
import { ApiPromise, WsProvider } from '@polkadot/api';
import { toHex } from './format.js';

/**
 * Connects to `url` and reports every change of state to `onState(state, detail)`: 'connecting', 'connected',
 * 'disconnected' (the provider retries every 2 s by itself), 'error'. Resolves once the API is ready the
 * first time; later reconnects are reported through `onState` and `onReady` again.
 */
export async function connect(url, { onState, onReady }) {
  const provider = new WsProvider(url, 2000);
  provider.on('connected', () => onState('connected'));
  provider.on('disconnected', () => onState('disconnected'));
  provider.on('error', () => onState('error'));
  onState('connecting');
  const api = new ApiPromise({ provider, noInitWarn: true });
  // 'ready' fires again after a reconnect once the metadata is re-checked (a runtime upgrade included).
  api.on('ready', () => onReady(api));
  await api.isReadyOrError;
  return api;
}

/** The chain's units (properties unset → the runtime's 12 decimals and the name the CLI uses). */
export function units(api) {
  const decimals = api.registry.chainDecimals[0] ?? 12;
  const symbol = api.registry.chainTokens[0] ?? 'Unit';
  return { decimals, symbol };
}

/** Milliseconds per block: Aura's slot (twice the timestamp pallet's minimum period). */
export function blockTimeMs(api) {
  return Number(api.consts.timestamp.minimumPeriod.toBigInt()) * 2;
}

const bytes = (codec) => toHex(codec.toU8a(true));
const cid = (codec) => new TextDecoder().decode(codec.toU8a(true));
const num = (codec) => Number(codec.toBigInt());
const account = (codec) => codec.toString();

function task(t) {
  return t.isClassification ? { classification: true, classes: num(t.asClassification.classes) } : { classification: false };
}

/** `ModelKindInfo` as `{ name, task, text }`; `text` is the CLI's `--kind` spelling where there is one. */
export function modelKind(m) {
  if (m.isLinear) return { name: 'linear', task: task(m.asLinear.task), text: 'linear' };
  if (m.isMlp) {
    const hidden = m.asMlp.hidden.map(num);
    return { name: 'mlp', task: task(m.asMlp.task), text: `mlp:${hidden.join('x')}` };
  }
  const t = m.asTrees;
  const k = task(t.task);
  return { name: 'trees', task: k, text: `trees:${num(t.trees)}:depth=${num(t.depth)}${k.classification ? `:classes=${k.classes}` : ''}` };
}

export function taskText(t) {
  return t.classification ? `${t.classes}-class classifier` : 'regressor';
}

function shape(s) {
  return { m: num(s.m), p: num(s.p), n: num(s.n) };
}

function contribution(c) {
  return { contributor: account(c.contributor), hash: bytes(c.hash), cid: cid(c.cid), beacon: c.beacon.isTrue, at: num(c.at) };
}

function bountyState(s) {
  if (s.isOpen) return { name: 'open' };
  if (s.isReserved) {
    const r = s.asReserved;
    return { name: 'reserved', claimant: account(r.claimant), payee: account(r.payee), deliverBy: num(r.deliverBy), bond: r.bond.toBigInt() };
  }
  if (s.isPaid) return { name: 'paid', payee: account(s.asPaid.payee) };
  return { name: 'cancelled' };
}

function competitionPhase(p) {
  if (p.isOpen) return { name: 'open' };
  if (p.isRevealed) {
    const r = p.asRevealed;
    return { name: 'revealed', at: num(r.at), extrinsic: num(r.extrinsic), scoreUntil: num(r.scoreUntil) };
  }
  if (p.isFinalized) return { name: 'finalized', at: num(p.asFinalized.at), extrinsic: num(p.asFinalized.extrinsic) };
  return { name: 'forfeited' };
}

/** Everything the board lists, read at one block (`at`: a block hash; the best block when omitted). */
export async function snapshot(api, at) {
  const q = at ? (await api.at(at)).query.zkmlBounties : api.query.zkmlBounties;
  const [datasets, keys, bounties, ceremonies, competitions, submissions, claims] = await Promise.all([
    q.datasets.entries(),
    q.verifyingKeys.entries(),
    q.bounties.entries(),
    q.ceremonies.entries(),
    q.competitions.entries(),
    q.submissions.entries(),
    q.claims.keys(),
  ]);
  const out = {
    datasets: datasets.map(([k, v]) => {
      const d = v.unwrap();
      return {
        hash: bytes(k.args[1]),
        organizer: account(d.organizer),
        cid: cid(d.cid),
        shape: shape(d.shape),
        xFracBits: d.xFracBits.map((b) => b.toNumber()),
        yFracBits: d.yFracBits.toNumber(),
        createdAt: num(d.createdAt),
        bounties: num(d.bounties),
      };
    }),
    keys: keys.map(([k, v]) => {
      const key = v.unwrap();
      return {
        hash: bytes(k.args[1]),
        registrant: account(key.registrant),
        shape: shape(key.shape),
        model: modelKind(key.model),
        provingKeyCid: cid(key.provingKeyCid),
        bounties: num(key.bounties),
        ceremony: key.ceremony.isSome ? num(key.ceremony.unwrap()) : null,
      };
    }),
    bounties: bounties
      .map(([k, v]) => {
        const b = v.unwrap();
        return {
          id: num(k.args[0]),
          issuer: account(b.issuer),
          dataset: bytes(b.dataset),
          verifyingKey: bytes(b.verifyingKey),
          sseCap: b.sseCap.toBigInt(),
          amount: b.amount.toBigInt(),
          expiresAt: num(b.expiresAt),
          params: num(b.params),
          state: bountyState(b.state),
        };
      })
      .sort((a, b) => a.id - b.id),
    ceremonies: ceremonies
      .map(([k, v]) => {
        const c = v.unwrap();
        const phase = c.phase.isPhase1
          ? { name: 'phase 1', endsAt: num(c.phase.asPhase1.endsAt) }
          : c.phase.isPhase2
            ? { name: 'phase 2', endsAt: num(c.phase.asPhase2.endsAt) }
            : { name: 'finished', keyHash: bytes(c.phase.asFinished.keyHash) };
        return {
          id: num(k.args[0]),
          coordinator: account(c.coordinator),
          shape: shape(c.shape),
          model: modelKind(c.model),
          power: c.power.toNumber(),
          phase,
          phase1: c.phase1.map(contribution),
          phase2: c.phase2.map(contribution),
          phase1Beacon: c.phase1Beacon.isSome ? bytes(c.phase1Beacon.unwrap()) : null,
          phase2Beacon: c.phase2Beacon.isSome ? bytes(c.phase2Beacon.unwrap()) : null,
        };
      })
      .sort((a, b) => a.id - b.id),
    competitions: competitions
      .map(([k, v]) => {
        const c = v.unwrap();
        return {
          id: num(k.args[0]),
          organizer: account(c.organizer),
          trainDataset: bytes(c.trainDataset),
          validation: c.validation.isSome
            ? { dataset: bytes(c.validation.unwrap().dataset), verifyingKey: bytes(c.validation.unwrap().verifyingKey) }
            : null,
          testHash: bytes(c.testHash),
          testRows: num(c.testRows),
          scoringKey: bytes(c.scoringKey),
          prize: c.prize.toBigInt(),
          bond: c.bond.toBigInt(),
          submitUntil: num(c.submitUntil),
          revealUntil: num(c.revealUntil),
          scoreBlocks: num(c.scoreBlocks),
          shares: c.shares.map(num),
          phase: competitionPhase(c.phase),
          submissions: num(c.submissions),
          ranking: c.ranking.map(([score, index]) => ({ score: score.toBigInt(), index: num(index) })),
          slots: c.slots.map((s) => ({
            share: s.share.toBigInt(),
            holder: s.holder.isSome ? num(s.holder.unwrap()) : null,
            deliverBy: num(s.deliverBy),
            delivered: s.delivered.isTrue,
          })),
        };
      })
      .sort((a, b) => a.id - b.id),
    submissions: submissions.map(([k, v]) => {
      const s = v.unwrap();
      return {
        competition: num(k.args[0]),
        index: num(k.args[1]),
        submitter: account(s.submitter),
        commitment: bytes(s.commitment),
        at: num(s.at),
        publicScore: s.publicScore.isSome ? s.publicScore.unwrap().toBigInt() : null,
        score: s.score.isSome ? { score: s.score.unwrap()[0].toBigInt(), payee: account(s.score.unwrap()[1]) } : null,
        deposit: s.deposit.toBigInt(),
        delivered: s.delivered.isTrue,
      };
    }),
    claims: new Set(claims.map((k) => num(k.args[0]))),
  };
  return out;
}

/** The dataset record `(owner, hash)`, the key record `(owner, hash)`. */
export function findDataset(snap, owner, hash) {
  return snap.datasets.find((d) => d.organizer === owner && d.hash === hash);
}
export function findKey(snap, owner, hash) {
  return snap.keys.find((k) => k.registrant === owner && k.hash === hash);
}
