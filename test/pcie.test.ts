/**
 * The PCIe path end to end: the real PCIe transport (host/transport/pcie.ts) on files that behave
 * like the XDMA driver's, served by the Verilator model of the PCIe top (evm_fpga_pcie_top: the
 * AXI4-Stream width adapters, the AXI4-Lite register file and the core). The Keccak self-test and
 * the geth opcode tables over `sim:pcie`; the register file; the CLI against `sim run --xdma`; bad
 * specs, missing or wrong files, and a card that disappears mid-request.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeviceSpecError, ProtocolError, TransportError } from '../host/errors.ts';
import { openDevice, type Device } from '../host/index.ts';
import { formatDeviceSpec, parseDeviceSpec } from '../host/device/spec.ts';
import { formatWord } from '../host/evm/text.ts';
import { loadGethInlineTables, loadGethTestcases, type EvmVector } from '../host/evm/vectors.ts';
import { runKeccakSelftest } from '../host/selftest/run.ts';
import { softwareKeccak256 } from '../host/selftest/software-keccak.ts';
import { buildSim } from '../host/sim/build.ts';
import { TEST_SIM_CONFIGS } from '../host/sim/configs.ts';
import { isPcieTransport, openPcieTransport, type PcieTransport } from '../host/transport/pcie.ts';
import { PCIE_CONTROL, PCIE_REG, PCIE_STATUS } from '../host/transport/pcie-regs.ts';
import { startXdmaSimulation } from '../host/transport/sim-pcie.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const text = (s: string) => new TextEncoder().encode(s);
const CLI = ['bin/evm-fpga.mjs'];

function pcieOf(device: Device): PcieTransport {
  if (!isPcieTransport(device.transport)) throw new Error(`${device.transport.name} is not a PCIe transport`);
  return device.transport;
}

describe('the Keccak and opcode suites over sim:pcie', () => {
  let device: Device;
  beforeAll(async () => {
    device = await openDevice('sim:pcie', { timeoutMs: 30_000 });
  });
  afterAll(() => device?.close());

  it('runs over the PCIe transport, on the PCIe top', async () => {
    expect(device.transport.type).toBe('pcie');
    expect(device.transport.name).toMatch(/^sim:pcie /);
    const regs = await pcieOf(device).readRegisters();
    expect(regs.streamBytes).toBe(8); // the 64-bit AXI4-Stream build
    expect(regs.buildId).toBe(device.handshake.buildId);
    expect(regs.capabilities).toBe(device.handshake.capabilities);
  });

  it('passes the Keccak self-test: every known answer (up to 1 MiB) and 200 random messages', async () => {
    const report = await runKeccakSelftest(device);
    expect(report.failures).toEqual([]);
    expect(report.knownAnswers).toBeGreaterThanOrEqual(321);
    expect(report.random).toBe(200);
    expect(report.passed).toBe(report.knownAnswers + report.random);
  });

  it('answers single requests one at a time', async () => {
    for (const s of ['', 'abc', 'x'.repeat(135), 'y'.repeat(136), 'z'.repeat(137)]) {
      expect(hex(await device.keccak256(text(s))), s.slice(0, 8)).toBe(hex((await softwareKeccak256())(text(s))));
    }
  });

  it("matches geth's opcode tables (1,701 + 46 vectors), pipelined", async () => {
    const vectors: EvmVector[] = [...loadGethTestcases(), ...loadGethInlineTables()];
    expect(vectors).toHaveLength(1747);
    const results = await device.evm.execBatch(
      vectors.map((v) => ({ op: v.opcode.code, a: v.a, ...(v.opcode.inputs > 1 ? { b: v.b } : {}), ...(v.opcode.inputs > 2 ? { c: v.c } : {}) })),
    );
    const wrong = vectors.flatMap((v, i) =>
      results[i]!.result === v.expected ? [] : [`${v.name} ${v.opcode.name}: got ${formatWord(results[i]!.result)}`],
    );
    expect(wrong).toEqual([]);
  });

  it('lost nothing and retried nothing on the way', () => {
    const s = device.stats;
    expect(s.retries).toBe(0);
    expect(s.timeouts).toBe(0);
    expect(s.crcErrors).toBe(0);
    expect(s.unknownResponses).toBe(0);
    expect(s.responses).toBe(s.requests);
  });
});

describe('the register file of the simulated card', () => {
  let device: Device;
  let card: PcieTransport;
  beforeAll(async () => {
    device = await openDevice('sim:pcie', { timeoutMs: 30_000 });
    card = pcieOf(device);
  });
  afterAll(() => device?.close());

  it('identifies the card', async () => {
    const r = await card.readRegisters();
    expect(r.id).toBe(0x464d5645);
    expect(r.regmapVersion).toBe(1);
    expect(r.protocolVersion).toBe(1);
    expect(r.clockHz).toBe(device.handshake.clockHz);
    expect(r.softResets).toBeGreaterThanOrEqual(1); // the open resets the card
  });

  it('counts exactly the bytes of the link, and the cycles', async () => {
    const before = await card.readRegisters();
    const sent0 = device.stats.bytesSent;
    const received0 = device.stats.bytesReceived;
    await device.keccak256Batch(Array.from({ length: 50 }, (_, i) => text(`message ${i}`)));
    await new Promise((r) => setTimeout(r, 50)); // the window is refreshed when the card goes idle
    const after = await card.readRegisters();
    expect(after.h2cBytes - before.h2cBytes).toBe(BigInt(device.stats.bytesSent - sent0));
    expect(after.c2hBytes - before.c2hBytes).toBe(BigInt(device.stats.bytesReceived - received0));
    expect(after.cycles).toBeGreaterThan(before.cycles);
    expect(after.h2cPackets).toBeGreaterThan(before.h2cPackets);
    expect(after.c2hPackets).toBeGreaterThan(before.c2hPackets);
    expect(after.status & PCIE_STATUS.CORE_IDLE).toBe(PCIE_STATUS.CORE_IDLE);
  });

  it('keeps what the host writes to SCRATCH and ignores writes to read-only registers', async () => {
    await card.writeRegister(PCIE_REG.SCRATCH, 0xdeadbeef);
    await card.writeRegister(PCIE_REG.ID, 0x12345678);
    await expect.poll(() => card.readRegister(PCIE_REG.SCRATCH), { timeout: 2000 }).toBe(0xdeadbeef);
    await expect.poll(() => card.readRegister(PCIE_REG.ID), { timeout: 2000 }).toBe(0x464d5645);
  });

  it('CLEAR_COUNTERS zeroes the counters; a soft reset zeroes them too and the card answers after it', async () => {
    await device.keccak256(text('before'));
    await card.writeRegister(PCIE_REG.CONTROL, PCIE_CONTROL.CLEAR_COUNTERS);
    await expect.poll(async () => (await card.readRegisters()).h2cBytes, { timeout: 2000 }).toBe(0n);
    await device.keccak256(text('between'));
    const resets = (await card.readRegisters()).softResets;
    await card.softReset();
    const r = await card.readRegisters();
    expect(r.softResets).toBe(resets + 1);
    expect(r.h2cBytes).toBe(0n);
    expect(r.c2hBytes).toBe(0n);
    expect(r.control & PCIE_CONTROL.SOFT_RESET).toBe(0);
    expect(hex(await device.keccak256(text('after')))).toBe(hex((await softwareKeccak256())(text('after'))));
    // The core itself was reset: its INFO counters started again.
    expect((await device.info()).hashes).toBe(1);
  });
});

/** `evm-fpga sim run --xdma DIR` as a person runs it; resolves once it announced the files. */
async function startCliCard(dir: string): Promise<{ child: ChildProcess; prefix: string; stderr: () => string }> {
  const child = spawn(process.execPath, [...CLI, 'sim', 'run', '--xdma', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const prefix = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no announcement: ${stderr}`)), 120_000);
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      const m = /^xdma: (\S+)$/.exec(line);
      if (m) resolve(m[1]!);
      else reject(new Error(`unexpected output ${line}`));
    });
    child.once('exit', (code) => reject(new Error(`sim run exited (${code}): ${stderr}`)));
  });
  return { child, prefix, stderr: () => stderr };
}

describe('the CLI against `evm-fpga sim run --xdma DIR`', () => {
  let dir: string;
  let card: Awaited<ReturnType<typeof startCliCard>>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pcie-cli-'));
    card = await startCliCard(dir);
  }, 180_000);
  afterAll(() => {
    if (card?.child.exitCode === null) card.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves DIR/xdma0_{h2c_0,c2h_0,user}', () => {
    expect(card.prefix).toBe(join(dir, 'xdma0'));
    for (const f of ['xdma0_h2c_0', 'xdma0_c2h_0', 'xdma0_user']) expect(existsSync(join(dir, f)), f).toBe(true);
  });

  it('keccak --device pcie:DIR/xdma0 prints the digest', () => {
    const r = spawnSync(process.execPath, [...CLI, 'keccak', '--device', `pcie:${card.prefix}`, '0x616263'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45');
    expect(r.status).toBe(0);
  });

  it('a second client sees a clean card (each open soft-resets it), and info shows the register file', () => {
    const r = spawnSync(process.execPath, [...CLI, 'info', '--device', `pcie:${card.prefix}`, '--json'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    const info = JSON.parse(r.stdout) as { hashes: number; pcieRegisters: { id: number; softResets: number; streamBytes: number } };
    expect(info.hashes).toBe(0);
    expect(info.pcieRegisters.id).toBe(0x464d5645);
    expect(info.pcieRegisters.softResets).toBeGreaterThanOrEqual(2);
    expect(info.pcieRegisters.streamBytes).toBe(8);
  });

  it('refuses a card that libuv has no worker thread left for, in one line', () => {
    const r = spawnSync(process.execPath, [...CLI, 'keccak', '--device', `pcie:${card.prefix}`, '0x61'], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, UV_THREADPOOL_SIZE: '1' },
    });
    expect(r.status).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringContaining('start node with UV_THREADPOOL_SIZE=2 or more')]);
  });

  it('refuses to serve files another simulation is serving', () => {
    const r = spawnSync(process.execPath, [...CLI, 'sim', 'run', '--xdma', dir], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('is being served by another running simulation');
  });

  it('stops on Ctrl-C and removes its files', async () => {
    const exited = new Promise<number | null>((resolve) => card.child.once('exit', (code) => resolve(code)));
    card.child.kill('SIGINT');
    expect(await exited).toBe(0);
    for (const f of ['xdma0_h2c_0', 'xdma0_c2h_0', 'xdma0_user']) expect(existsSync(join(dir, f)), f).toBe(false);
  });
});

describe('bad PCIe specs and files', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pcie-bad-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const mkfifo = (path: string) => {
    const r = spawnSync('mkfifo', [path]);
    if (r.status !== 0) throw new Error(`mkfifo ${path} failed`);
  };
  /** A register window as the shim lays it out: ID and VERSION set (or not). */
  const userFile = (path: string, id: number, version = 0x0001_0001) => {
    const b = Buffer.alloc(4096);
    b.writeUInt32LE(id, PCIE_REG.ID);
    b.writeUInt32LE(version, PCIE_REG.VERSION);
    writeFileSync(path, b);
  };

  it('parses and formats pcie: and sim:pcie specs', () => {
    expect(parseDeviceSpec('pcie:/dev/xdma0')).toEqual({ kind: 'pcie', prefix: '/dev/xdma0' });
    expect(parseDeviceSpec('pcie:/dev/xdma1_user')).toEqual({ kind: 'pcie', prefix: '/dev/xdma1' });
    expect(parseDeviceSpec('sim:pcie')).toEqual({ kind: 'sim-pcie', roundsPerClock: 1 });
    expect(parseDeviceSpec('sim:pcie?rounds=2')).toEqual({ kind: 'sim-pcie', roundsPerClock: 2 });
    for (const s of ['pcie:/dev/xdma0', 'sim:pcie', 'sim:pcie?rounds=3']) expect(formatDeviceSpec(parseDeviceSpec(s))).toBe(s);
    expect(parseDeviceSpec('pool:sim:pcie,pcie:/dev/xdma0')).toMatchObject({ kind: 'pool', members: [{ kind: 'sim-pcie' }, { kind: 'pcie' }] });
  });

  it.each([
    ['pcie', 'needs the XDMA device prefix'],
    ['pcie:', 'needs the XDMA device prefix'],
    ['pcie:/dev/xdma0?timeout=5', 'takes no options'],
    ['sim:pcie?trace=x.fst', 'no waveform tracing'],
    ['sim:pcie?rounds=5', 'rounds must divide 24'],
    ['sim:pci', 'unknown simulation variant "pci"'],
  ])('rejects %s with one line', (spec, reason) => {
    let err: unknown;
    try {
      parseDeviceSpec(spec);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DeviceSpecError);
    expect((err as Error).message).toContain(reason);
    expect((err as Error).message).not.toContain('\n');
  });

  it('names the first missing file', async () => {
    const prefix = join(dir, 'missing', 'xdma0');
    await expect(openDevice(`pcie:${prefix}`)).rejects.toThrow(new RegExp(`${prefix}_h2c_0 does not exist`));
    const partial = join(dir, 'xdma1');
    mkfifo(`${partial}_h2c_0`);
    mkfifo(`${partial}_c2h_0`);
    const err = await openDevice(`pcie:${partial}`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect((err as Error).message).toContain(`${partial}_user does not exist`);
  });

  it('refuses a regular file where a stream device should be', async () => {
    const prefix = join(dir, 'xdma2');
    writeFileSync(`${prefix}_h2c_0`, '');
    mkfifo(`${prefix}_c2h_0`);
    userFile(`${prefix}_user`, 0x464d5645);
    await expect(openDevice(`pcie:${prefix}`)).rejects.toThrow(`${prefix}_h2c_0 is a regular file, not an XDMA stream device`);
  });

  it('refuses a card whose ID or version is wrong', async () => {
    const prefix = join(dir, 'xdma3');
    mkfifo(`${prefix}_h2c_0`);
    mkfifo(`${prefix}_c2h_0`);
    userFile(`${prefix}_user`, 0);
    const err = await openDevice(`pcie:${prefix}`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as Error).message).toContain('register ID reads 0x00000000, expected 0x464d5645');
    userFile(`${prefix}_user`, 0xffffffff);
    await expect(openDevice(`pcie:${prefix}`)).rejects.toThrow('the card does not answer on the bus');
    userFile(`${prefix}_user`, 0x464d5645, 0x0002_0001);
    await expect(openDevice(`pcie:${prefix}`)).rejects.toThrow('the card has register map 2 / protocol 1');
  });

  it('reports FIFOs nobody serves instead of blocking', async () => {
    const prefix = join(dir, 'xdma4');
    mkfifo(`${prefix}_h2c_0`);
    mkfifo(`${prefix}_c2h_0`);
    userFile(`${prefix}_user`, 0x464d5645);
    await expect(openDevice(`pcie:${prefix}`)).rejects.toThrow(`nothing serves ${prefix}_h2c_0`);
  });

  it('the CLI prints one line and exits non-zero for a missing card', () => {
    const prefix = join(dir, 'nowhere', 'xdma0');
    const r = spawnSync(process.execPath, [...CLI, 'keccak', '--device', `pcie:${prefix}`, '0x61'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringContaining(`${prefix}_h2c_0 does not exist`)]);
  });
});

describe('a card that goes away', () => {
  it('fails the requests in flight with a TransportError instead of hanging', async () => {
    const { binary } = await buildSim(TEST_SIM_CONFIGS.pcie);
    const dir = mkdtempSync(join(tmpdir(), 'pcie-gone-'));
    const prefix = join(dir, 'xdma0');
    const child = await startXdmaSimulation(binary, prefix);
    try {
      const transport = await openPcieTransport({ prefix });
      const device = await openDevice('pcie:unused', { transport, timeoutMs: 500, retryCount: 1 });
      expect(hex(await device.keccak256(text('abc')))).toBe('4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45');
      const closed = new Promise<unknown>((resolve) => transport.onClose(resolve));
      const pending = device.keccak256Batch(Array.from({ length: 2000 }, (_, i) => text(`m${i}`)));
      child.kill('SIGKILL');
      await expect(pending).rejects.toBeInstanceOf(TransportError);
      expect(String(await closed)).toMatch(/went away/);
      await device.close();
    } finally {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
