// A competition's scores over time as an SVG scatter: one dot per proven score (public leaderboard on the
// validation split, private on the test set) at the block it was proven in, and each board's best so far as a
// step line. Lower is better for every metric the chain knows (MSE, error rate).
import { esc, formatNumber } from './format.js';

const W = 640, H = 260, L = 78, R = 16, T = 16, B = 40;

/**
 * `series`: `[{ name, cls, points: [{ block, value, label }] }]`. Returns an SVG string, or a sentence when
 * there is nothing to plot.
 */
export function scorePlot(series, { yLabel }) {
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) return '<p class="muted">No proven scores yet: the plot appears with the first one.</p>';
  const bx = all.map((p) => p.block), vy = all.map((p) => p.value);
  let [x0, x1] = [Math.min(...bx), Math.max(...bx)];
  let [y0, y1] = [Math.min(0, ...vy), Math.max(...vy)];
  if (x0 === x1) [x0, x1] = [x0 - 1, x1 + 1];
  if (y0 === y1) y1 = y0 + 1;
  const sx = (b) => L + ((b - x0) / (x1 - x0)) * (W - L - R);
  const sy = (v) => H - B - ((v - y0) / (y1 - y0)) * (H - T - B);
  const ticks = (a, b, n) => Array.from({ length: n + 1 }, (_, i) => a + ((b - a) * i) / n);
  let svg = `<svg class="plot" viewBox="0 0 ${W} ${H}" role="img" aria-label="scores over time">`;
  for (const v of ticks(y0, y1, 4)) {
    svg += `<line class="grid" x1="${L}" x2="${W - R}" y1="${sy(v)}" y2="${sy(v)}"/>`;
    svg += `<text class="tick" x="${L - 6}" y="${sy(v) + 4}" text-anchor="end">${esc(formatNumber(Number(v.toPrecision(3))))}</text>`;
  }
  for (const b of ticks(x0, x1, 4)) {
    svg += `<text class="tick" x="${sx(b)}" y="${H - B + 16}" text-anchor="middle">${Math.round(b)}</text>`;
  }
  svg += `<text class="axis" x="${(L + W - R) / 2}" y="${H - 4}" text-anchor="middle">block</text>`;
  svg += `<text class="axis" transform="translate(12 ${(T + H - B) / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>`;
  for (const s of series) {
    const pts = [...s.points].sort((a, b) => a.block - b.block);
    if (pts.length === 0) continue;
    // Best so far: a step line from each improvement to the next point in time.
    let best = Infinity, d = '';
    for (const p of pts) {
      if (p.value < best) {
        d += d ? ` H${sx(p.block)} V${sy(p.value)}` : `M${sx(p.block)} ${sy(p.value)}`;
        best = p.value;
      }
    }
    d += ` H${sx(x1)}`;
    svg += `<path class="best ${s.cls}" d="${d}"/>`;
    for (const p of pts) {
      svg += `<circle class="dot ${s.cls}" cx="${sx(p.block)}" cy="${sy(p.value)}" r="5"><title>${esc(p.label)}</title></circle>`;
    }
  }
  svg += '</svg>';
  const legend = series
    .filter((s) => s.points.length)
    .map((s) => `<span class="legend ${s.cls}">● ${esc(s.name)} (${s.points.length})</span>`)
    .join(' ');
  return svg + `<div class="legend-row">${legend}</div>`;
}
