// Formatting: amounts in the chain's units, blocks as wall-clock countdowns, hashes, scores.
// Pure functions (no DOM, no API) so that the tests can check them in Node.

/** HTML-escapes a value for interpolation into markup. */
export function esc(v) {
  return String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

/** `plancks` (bigint) as `whole.fraction SYMBOL`, trailing zeros trimmed, with the chain's decimals. */
export function formatAmount(plancks, { decimals, symbol }) {
  const p = BigInt(plancks);
  const neg = p < 0n;
  const abs = neg ? -p : p;
  const base = 10n ** BigInt(decimals);
  const whole = abs / base;
  let frac = (abs % base).toString().padStart(decimals, '0').replace(/0+$/, '');
  const grouped = whole.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '-' : ''}${grouped}${frac ? '.' + frac : ''} ${symbol}`;
}

/**
 * Parses a decimal amount typed by a person ("5", "0.25", ".5") into plancks. Refuses more fraction digits than
 * the chain has, signs, exponents and anything else: an amount is never guessed.
 */
export function parseAmount(text, { decimals }) {
  const t = String(text).trim();
  const m = /^(\d*)(?:\.(\d*))?$/.exec(t);
  if (!t || !m || (m[1] === '' && (m[2] ?? '') === '')) throw new Error(`"${text}" is not an amount (e.g. 5 or 0.25)`);
  const frac = m[2] ?? '';
  if (frac.length > decimals) throw new Error(`"${text}" has more than ${decimals} decimal places`);
  return BigInt(m[1] || '0') * 10n ** BigInt(decimals) + BigInt(frac.padEnd(decimals, '0') || '0');
}

/** A duration in seconds as "2 d 3 h", "4 h 05 min", "3 min 20 s" or "12 s". */
export function formatDuration(seconds) {
  const s = Math.max(0, Math.round(seconds));
  const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  if (d) return `${d} d ${h} h`;
  if (h) return `${h} h ${String(m).padStart(2, '0')} min`;
  if (m) return `${m} min ${String(r).padStart(2, '0')} s`;
  return `${r} s`;
}

/**
 * The countdown to block `target`: `best` is the best block seen, `bestSeenAt` when it arrived (ms), `slotMs` the
 * block time. A deadline block itself still accepts transactions, so "passed" means `best > target`.
 */
export function countdown(target, best, bestSeenAt, slotMs, now = Date.now()) {
  if (best > target) return { passed: true, text: `passed (block ${target})` };
  const ms = (target - best + 1) * slotMs - (now - bestSeenAt);
  return { passed: false, text: `${formatDuration(ms / 1000)} left (block ${target}, ${target - best} to go)` };
}

/**
 * `url` without a trailing slash if it is a plain URL (host, optional port and path of safe characters) of one of
 * `schemes`, else null. Links to the board are anybody's to craft: without this, `?ipfs=javascript:…` would run
 * script from the page's IPFS links, and a `?rpc=` holding `;` or spaces would smuggle shell into the `zkml`
 * commands the page prints for copying.
 */
export function plainEndpoint(url, schemes) {
  const m = /^([a-z]+):\/\/[A-Za-z0-9.-]+(:\d{1,5})?(\/[A-Za-z0-9._~/-]*)?$/.exec(url);
  return m && schemes.includes(m[1]) ? url.replace(/\/$/, '') : null;
}

export function short(hex, n = 8) {
  return hex.length > 2 * n + 4 ? `${hex.slice(0, n + 2)}…${hex.slice(-n)}` : hex;
}

/** Little-endian 32 bytes (a field element as the chain stores it) to 0x-hex, as the CLI prints hashes. */
export function toHex(bytes) {
  return '0x' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function fromHex(hex, what, len) {
  const h = String(hex).trim().replace(/^0x/i, '');
  if (!/^[0-9a-fA-F]*$/.test(h) || h.length % 2) throw new Error(`${what} is not hex`);
  const out = Uint8Array.from(h.match(/../g) ?? [], (b) => parseInt(b, 16));
  if (len !== undefined && out.length !== len) throw new Error(`${what} must be ${len} bytes, got ${out.length}`);
  return out;
}

/**
 * The SSE cap the circuit compares against for a float MSE cap: `⌊mse · m·n · 2^(2F)⌋`, `F = fy + 16` the
 * residual scale. The same float operations in the same order as the CLI's `quant::sse_cap`
 * (circuits/src/quant.rs), so a bounty posted here and one posted with `zkml add-bounty --mse` get the same cap.
 */
export function sseCap(mse, shape, yFracBits) {
  if (!Number.isFinite(mse) || mse < 0) throw new Error('the MSE cap must be a finite non-negative number');
  const cap = Math.floor(mse * (shape.m * shape.n) * 2 ** (2 * (yFracBits + Y_SHIFT)));
  if (cap >= 2 ** 128) throw new Error(`MSE cap ${mse} is too large for this dataset's scales (exceeds 2^128)`);
  return BigInt(cap);
}

/** `zkml_primitives::dataset::Y_SHIFT`: residuals are kept 16 bits finer than Y. */
export const Y_SHIFT = 16;

/** The float MSE an SSE in quantized units stands for (`quant::mse_of_sse`). */
export function mseOfSse(sse, shape, yFracBits) {
  return Number(sse) / (shape.m * shape.n) / 2 ** (2 * (yFracBits + Y_SHIFT));
}

/** A score as a person reads it: MSE for regressors, misclassified and accuracy for classifiers. */
export function describeScore(score, { task, shape, yFracBits }) {
  if (task.classification) {
    const errors = Number(score);
    return `${errors} misclassified (accuracy ≥ ${((1 - errors / shape.m) * 100).toFixed(2)} %)`;
  }
  return `MSE ≤ ${formatNumber(mseOfSse(score, shape, yFracBits))}`;
}

/** The number a plot puts on its axis for a score: the MSE, or the error rate. */
export function scoreValue(score, { task, shape, yFracBits }) {
  return task.classification ? Number(score) / shape.m : mseOfSse(score, shape, yFracBits);
}

export function formatNumber(x) {
  if (x === 0) return '0';
  const a = Math.abs(x);
  return a >= 1e6 || a < 1e-3 ? x.toExponential(3) : x.toPrecision(6).replace(/\.?0+$/, '');
}
