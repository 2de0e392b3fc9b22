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
  const lo = opts.logScale ? Math.floor(Math.log10(Math.max(minV, 1e-12))) : 0;
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
