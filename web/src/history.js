// History from events: the bounty pallet's events of every finalized block, read back from the node once
// (newest first, a window of blocks at a time) and then followed block by block. Storage holds only the
// current state; who claimed, who was slashed and when money moved is in the events. A node that prunes state
// (the default keeps 256 blocks) cannot give events of older blocks: the board says where its history starts.
import { toHex } from './format.js';

const PALLET = 'zkmlBounties';

/** One pallet event as a plain record: `{ block, name, fields }` with hashes as hex, numbers as bigint. */
export function plainEvent(block, event) {
  const fields = {};
  event.data.forEach((value, i) => {
    const name = event.meta.fields[i].name.unwrapOr(null)?.toString() ?? String(i);
    fields[camel(name)] = plain(value);
  });
  return { block, name: event.method, fields };
}

function camel(s) {
  return s.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
}

function plain(v) {
  const type = v.toRawType?.() ?? '';
  if (/^\[u8;\s*\d+\]$/.test(type)) return toHex(v.toU8a(true));
  if (type === 'AccountId32' || type === 'AccountId') return v.toString();
  if (typeof v.toBigInt === 'function' && /^u\d+$/.test(type)) return v.toBigInt();
  if (v.isNone) return null;
  if (v.isSome) return plain(v.unwrap());
  if (Array.isArray(v)) return v.map(plain);
  return v.toJSON();
}

/** Which records an event belongs to: keys like `bounty:3`, `competition:1`, `ceremony:0`. */
export function subjects(e) {
  const f = e.fields;
  const out = [];
  if (f.bounty !== undefined) out.push(`bounty:${f.bounty}`);
  if (f.competition !== undefined) out.push(`competition:${f.competition}`);
  if (f.ceremony !== undefined) out.push(`ceremony:${f.ceremony}`);
  return out;
}

/**
 * Collects the pallet's events. `load(fromBlock)` reads back from the finalized head down to `fromBlock` (or as
 * far as the node keeps state); `follow(n)` adds finalized block `n` and any it skipped. `onChange()` is called
 * after each batch.
 */
export class History {
  constructor(api, onChange) {
    this.api = api;
    this.onChange = onChange;
    this.events = []; // oldest first
    this.seen = new Set(); // block numbers read
    this.highest = 0;
    this.earliest = null; // the oldest block read; null until the first read
    this.prunedBelow = null; // events below this block are not available from this node
    this.loading = false;
  }

  async eventsAt(n) {
    const hash = await this.api.rpc.chain.getBlockHash(n);
    const at = await this.api.at(hash);
    const records = await at.query.system.events();
    return records.filter((r) => r.event.section === PALLET).map((r) => plainEvent(n, r.event));
  }

  add(n, events) {
    if (this.seen.has(n)) return;
    this.seen.add(n);
    this.events.push(...events);
    this.events.sort((a, b) => a.block - b.block);
    this.highest = Math.max(this.highest, n);
    this.earliest = this.earliest === null ? n : Math.min(this.earliest, n);
  }

  /** Reads back from `head` to `from`, `batch` blocks at a time (newest first, so recent history shows first). */
  async load(head, from, batch = 16) {
    this.loading = true;
    // Blocks after `head` are `follow`'s, even if one arrives before this read-back reaches `head`.
    this.highest = Math.max(this.highest, head);
    try {
      for (let top = head; top >= from && this.prunedBelow === null; top -= batch) {
        const numbers = [];
        for (let n = top; n > top - batch && n >= from; n--) if (!this.seen.has(n)) numbers.push(n);
        const results = await Promise.allSettled(numbers.map((n) => this.eventsAt(n)));
        results.forEach((r, i) => {
          if (r.status === 'fulfilled') this.add(numbers[i], r.value);
          else this.prunedBelow = Math.max(this.prunedBelow ?? 0, numbers[i] + 1);
        });
        this.onChange();
      }
    } finally {
      this.loading = false;
      this.onChange();
    }
  }

  /** Adds finalized block `n` and whatever finalized blocks between the last one read and `n` were skipped. */
  async follow(n) {
    const start = this.highest ? this.highest + 1 : n;
    for (let b = start; b <= n; b++) {
      if (!this.seen.has(b)) this.add(b, await this.eventsAt(b));
    }
    this.onChange();
  }

  of(subject) {
    return this.events.filter((e) => subjects(e).includes(subject));
  }
}
