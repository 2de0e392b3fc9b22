/**
 * What the CLI shows people: one-line errors, progress on stderr (kept off stdout so scripts can
 * parse results), and aligned tables.
 */

/** A malformed command line (exit code 2), as opposed to a failure while running (exit code 1). */
export class UsageError extends Error {}

/** One line for a failure; with `verbose`, the cause chain and stack follow. */
export function describeError(err: unknown, verbose: boolean): string {
  const first = err instanceof Error ? (err as Error & { shortMessage?: string }).shortMessage ?? err.message : String(err);
  const line = `error: ${first.split('\n')[0]}`;
  if (!verbose) return line;
  const out = [line];
  let cur: unknown = err;
  while (cur instanceof Error) {
    const details = (cur as Error & { details?: string }).details;
    if (details) out.push(`  details: ${details}`);
    if (cur.stack) out.push(cur.stack.replace(/^/gm, '  '));
    cur = cur.cause;
    if (cur) out.push('caused by:');
  }
  return out.join('\n');
}

/**
 * A progress sink for long work (Verilator builds, self-tests, benchmarks). On a terminal it keeps
 * one status line updated in place; otherwise (CI logs) it prints each line once, prefixed.
 */
export function progressPrinter(prefix: string, stream: NodeJS.WriteStream = process.stderr): {
  (line: string): void;
  done(): void;
} {
  const tty = Boolean(stream.isTTY);
  let shown = false;
  const print = (line: string) => {
    const text = `${prefix}: ${line}`;
    if (tty) {
      const width = Math.max(20, (stream.columns || 100) - 1);
      stream.write(`\r\x1b[K${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
      shown = true;
    } else {
      stream.write(`${text}\n`);
    }
  };
  print.done = () => {
    if (tty && shown) stream.write('\r\x1b[K');
    shown = false;
  };
  return print;
}

/** Renders rows as an aligned text table with a header line. */
export function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const fmt = (r: string[]) =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [fmt(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(fmt)].join('\n');
}

/** Formats a rate with an SI suffix: 1234567 → "1.23 M". */
export function si(n: number, digits = 3): string {
  const units: [number, string][] = [
    [1e9, ' G'],
    [1e6, ' M'],
    [1e3, ' k'],
  ];
  for (const [scale, suffix] of units) if (Math.abs(n) >= scale) return `${(n / scale).toPrecision(digits)}${suffix}`;
  return n.toPrecision(digits);
}

/** JSON.stringify that writes bigint counters as numbers when safe, else as decimal strings. */
export function toJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_k, v) => (typeof v === 'bigint' ? (v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString()) : v),
    2,
  );
}
