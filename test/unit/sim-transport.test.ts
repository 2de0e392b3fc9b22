/**
 * The sim transport's process handling, with stand-in scripts instead of the Verilator binary
 * (the real simulation is covered by the integration tests).
 */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TransportError } from '../../host/errors.ts';
import { spawnSimTransport } from '../../host/transport/sim.ts';

const dir = mkdtempSync(join(tmpdir(), 'evm-fpga-sim-transport-'));
function script(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

function closed(transport: ReturnType<typeof spawnSimTransport>): Promise<TransportError | undefined> {
  return new Promise((resolve) => transport.onClose(resolve));
}

describe('sim transport', () => {
  it('passes bytes through stdin/stdout and closes cleanly', async () => {
    const echo = script('echo.sh', 'test "$1" = --stdio || exit 9\nexec cat');
    const t = spawnSimTransport(echo);
    const received: number[] = [];
    t.onData((chunk) => received.push(...chunk));
    const end = closed(t);
    t.write(new Uint8Array([1, 2, 3]));
    await new Promise((r) => setTimeout(r, 100));
    await t.close();
    expect(await end).toBeUndefined();
    expect(received).toEqual([1, 2, 3]);
    expect(t.isOpen).toBe(false);
  });

  it('reports a crash with the tail of stderr', async () => {
    const crash = script('crash.sh', 'echo "sim: starting" >&2\necho "sim: assertion failed in rx_framer" >&2\nexit 3');
    const t = spawnSimTransport(crash, [], { name: 'sim (test)' });
    const error = await closed(t);
    expect(error).toBeInstanceOf(TransportError);
    expect(error!.shortMessage).toBe('sim (test): the simulation exited with code 3: sim: assertion failed in rx_framer');
    expect(error!.details).toContain('sim: starting');
  });

  it('reports a missing binary', async () => {
    const t = spawnSimTransport(join(dir, 'does-not-exist'));
    const error = await closed(t);
    expect(error!.shortMessage).toMatch(/cannot run the simulation: spawn .* ENOENT/);
    await t.close();
  });

  it('kills a simulation that ignores end of input', async () => {
    const stuck = script('stuck.sh', 'trap "" TERM\nexec sleep 30');
    const t = spawnSimTransport(stuck, [], { closeGraceMs: 100 });
    const started = performance.now();
    await t.close();
    expect(performance.now() - started).toBeLessThan(5000);
  });
});
