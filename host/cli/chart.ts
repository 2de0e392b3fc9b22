/**
 * Small dependency-free SVG charts for benchmark reports: grouped bars, one group per category and
 * one colour per series. Good enough to read a result at a glance in a browser or on GitHub.
 */

/** One coloured series of a bar chart: a value per category (missing = no bar). */
export interface BarSeries {
  name: string;
  values: (number | undefined)[];
}

const COLOURS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b'];
const esc = (s: string) => s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);

/** Renders a grouped bar chart as an SVG document. */
export function barChart(opts: { title: string; yLabel: string; categories: string[]; series: BarSeries[]; logScale?: boolean }): string {
  const W = 760;
  const H = 420;
  const m = { l: 80, r: 20, t: 50, b: 70 };
  const pw = W - m.l - m.r;
  const ph = H - m.t - m.b;
  const all = opts.series.flatMap((s) => s.values.filter((v): v is number => v !== undefined && v > 0));
  const maxV = Math.max(1, ...all);
  const minV = opts.logScale ? Math.min(...all, maxV) : 0;
  // The axis starts a decade lower when the smallest value sits just above a power of ten, so its bar stays visible.
  const lmin = Math.log10(Math.max(minV, 1e-12));
  const lo = opts.logScale ? Math.floor(lmin) - (lmin - Math.floor(lmin) < 0.3 ? 1 : 0) : 0;
  const step = niceStep(maxV * 1.1);
  const hi = opts.logScale ? Math.ceil(Math.log10(maxV)) + (Math.log10(maxV) % 1 === 0 ? 1 : 0) : Math.ceil((maxV * 1.1) / step) * step;
  const y = (v: number) => m.t + ph - (opts.logScale ? ((Math.log10(v) - lo) / (hi - lo)) * ph : (v / hi) * ph);
  const groupW = pw / opts.categories.length;
  const barW = (groupW * 0.8) / Math.max(1, opts.series.length);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="24" text-anchor="middle" font-size="16">${esc(opts.title)}</text>`,
    `<text transform="translate(18 ${m.t + ph / 2}) rotate(-90)" text-anchor="middle">${esc(opts.yLabel)}</text>`,
  ];
  const ticks = opts.logScale
    ? Array.from({ length: hi - lo + 1 }, (_, i) => 10 ** (lo + i))
    : Array.from({ length: Math.round(hi / step) + 1 }, (_, i) => i * step);
  for (const t of ticks) {
    const ty = y(t);
    parts.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${ty}" y2="${ty}" stroke="#ddd"/>`);
    parts.push(`<text x="${m.l - 6}" y="${ty + 4}" text-anchor="end">${esc(formatTick(t))}</text>`);
  }
  opts.categories.forEach((c, ci) => {
    const gx = m.l + ci * groupW + groupW * 0.1;
    opts.series.forEach((s, si) => {
      const v = s.values[ci];
      if (v === undefined || v <= 0) return;
      const top = y(v);
      parts.push(`<rect x="${gx + si * barW}" y="${top}" width="${barW - 2}" height="${m.t + ph - top}" fill="${COLOURS[si % COLOURS.length]}"><title>${esc(`${s.name}: ${v}`)}</title></rect>`);
      parts.push(`<text x="${gx + si * barW + barW / 2}" y="${top - 4}" text-anchor="middle" font-size="10">${esc(formatTick(v))}</text>`);
    });
    parts.push(`<text x="${gx + groupW * 0.4}" y="${m.t + ph + 18}" text-anchor="middle">${esc(c)}</text>`);
  });
  parts.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${m.t + ph}" y2="${m.t + ph}" stroke="black"/>`);
  opts.series.forEach((s, si) => {
    const lx = m.l + si * 200;
    parts.push(`<rect x="${lx}" y="${H - 24}" width="12" height="12" fill="${COLOURS[si % COLOURS.length]}"/>`);
    parts.push(`<text x="${lx + 18}" y="${H - 14}">${esc(s.name)}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

/** A round tick spacing (1, 2 or 5 × 10^k) giving about five intervals up to `max`. */
function niceStep(max: number): number {
  const raw = max / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

function formatTick(v: number): string {
  if (v >= 1e6) return `${+(v / 1e6).toPrecision(3)}M`;
  if (v >= 1e3) return `${+(v / 1e3).toPrecision(3)}k`;
  return `${+v.toPrecision(3)}`;
}

/** One line of a {@link lineChart} panel: points in x order. */
export interface LineSeries {
  name: string;
  points: [number, number][];
}

/**
 * Renders small multiples of line charts as one SVG: one panel per entry (two per row), shared
 * y range, one colour per series name (the same name has the same colour in every panel), and
 * optional horizontal reference lines (e.g. speedup 1).
 */
export function lineChart(opts: { title: string; xLabel: string; yLabel: string; panels: { title: string; series: LineSeries[] }[]; reference?: number[] }): string {
  const cols = Math.min(2, opts.panels.length);
  const rows = Math.ceil(opts.panels.length / cols);
  const PW = 380;
  const PH = 260;
  const m = { l: 60, r: 16, t: 34, b: 46 };
  const W = cols * PW;
  const H = 50 + rows * PH + 30;
  const names = [...new Set(opts.panels.flatMap((p) => p.series.map((s) => s.name)))];
  const ys = opts.panels.flatMap((p) => p.series.flatMap((s) => s.points.map(([, y]) => y))).concat(opts.reference ?? []);
  const xs = opts.panels.flatMap((p) => p.series.flatMap((s) => s.points.map(([x]) => x)));
  const step = niceStep(Math.max(1e-9, ...ys) * 1.1);
  const yHi = Math.ceil((Math.max(1e-9, ...ys) * 1.1) / step) * step;
  const xLo = Math.min(0, ...xs);
  const xHi = Math.max(xLo + 1e-9, ...xs);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="24" text-anchor="middle" font-size="16">${esc(opts.title)}</text>`,
  ];
  opts.panels.forEach((panel, pi) => {
    const ox = (pi % cols) * PW;
    const oy = 40 + Math.floor(pi / cols) * PH;
    const pw = PW - m.l - m.r;
    const ph = PH - m.t - m.b;
    const px = (x: number) => ox + m.l + ((x - xLo) / (xHi - xLo)) * pw;
    const py = (y: number) => oy + m.t + ph - (y / yHi) * ph;
    parts.push(`<text x="${ox + m.l + pw / 2}" y="${oy + 20}" text-anchor="middle" font-size="13">${esc(panel.title)}</text>`);
    for (let t = 0; t <= yHi + 1e-9; t += step) {
      parts.push(`<line x1="${ox + m.l}" x2="${ox + m.l + pw}" y1="${py(t)}" y2="${py(t)}" stroke="#ddd"/>`);
      parts.push(`<text x="${ox + m.l - 6}" y="${py(t) + 4}" text-anchor="end">${esc(formatTick(t))}</text>`);
    }
    for (const r of opts.reference ?? []) parts.push(`<line x1="${ox + m.l}" x2="${ox + m.l + pw}" y1="${py(r)}" y2="${py(r)}" stroke="#888" stroke-dasharray="4 3"/>`);
    for (const x of [...new Set(xs)].sort((a, b) => a - b)) {
      parts.push(`<text x="${px(x)}" y="${oy + m.t + ph + 16}" text-anchor="middle">${esc(formatTick(x))}</text>`);
    }
    parts.push(`<line x1="${ox + m.l}" x2="${ox + m.l + pw}" y1="${oy + m.t + ph}" y2="${oy + m.t + ph}" stroke="black"/>`);
    parts.push(`<text x="${ox + m.l + pw / 2}" y="${oy + m.t + ph + 34}" text-anchor="middle">${esc(opts.xLabel)}</text>`);
    parts.push(`<text transform="translate(${ox + 16} ${oy + m.t + ph / 2}) rotate(-90)" text-anchor="middle">${esc(opts.yLabel)}</text>`);
    for (const s of panel.series) {
      const colour = COLOURS[names.indexOf(s.name) % COLOURS.length];
      const pts = s.points.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`);
      parts.push(`<polyline points="${pts.join(' ')}" fill="none" stroke="${colour}" stroke-width="2"/>`);
      for (const [x, y] of s.points) parts.push(`<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="3" fill="${colour}"><title>${esc(`${s.name}: ${x} → ${+y.toPrecision(3)}`)}</title></circle>`);
    }
  });
  names.forEach((n, i) => {
    const lx = 20 + i * 180;
    parts.push(`<rect x="${lx}" y="${H - 22}" width="12" height="12" fill="${COLOURS[i % COLOURS.length]}"/>`);
    parts.push(`<text x="${lx + 18}" y="${H - 12}">${esc(n)}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
