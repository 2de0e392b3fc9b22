/**
 * A PCIe card as a transport, through the Xilinx XDMA driver's character devices: no native
 * addon, only reads and writes on three files (docs/pcie.md).
 *
 *   PREFIX_h2c_0  host-to-card stream: every write(2) is one DMA transfer into the card's
 *                 AXI4-Stream (tlast on its last beat). Queued frames are joined into one write.
 *   PREFIX_c2h_0  card-to-host stream: every read(2) is one DMA transfer out of the card; it
 *                 returns when the buffer is full or the card ends a packet with tlast, which the
 *                 PCIe top does whenever its output goes quiet (hdl/pcie/axis_c2h_pack.sv).
 *   PREFIX_user   the AXI4-Lite register file (hdl/pcie/pcie_regs_pkg.sv): 32-bit pread/pwrite
 *                 at byte offsets.
 *
 * `pcie:/dev/xdma0` opens /dev/xdma0_h2c_0, /dev/xdma0_c2h_0 and /dev/xdma0_user. The simulated
 * card (`sim run --xdma DIR`, `sim:pcie`) offers the same three names as two FIFOs and a shared
 * file, so this code runs unchanged against the real RTL in CI.
 *
 * Reads block in a libuv worker thread (a character device cannot be polled): one read is always
 * posted while the transport is open, so each open card occupies one of the pool's threads
 * (UV_THREADPOOL_SIZE, default 4), and an open card keeps the process alive, like a socket.
 * Opening more cards than the pool can serve with one thread to spare fails with a clear error
 * instead of deadlocking. `close()` ends the read by sending one INFO request whose answer
 * completes it.
 */
import { constants, promises as fsp, read, write } from 'node:fs';
import { ProtocolError, TransportError } from '../errors.ts';
import { encodeFrame } from '../protocol/frame.ts';
import { CMD, PROTOCOL } from '../protocol/spec.ts';
import { TransportBase } from './listeners.ts';
import { decodePcieRegisters, PCIE_CONTROL, PCIE_REG, REGMAP_VERSION, type PcieRegisters } from './pcie-regs.ts';
import type { Transport } from './transport.ts';

/** Options for {@link openPcieTransport}. */
export interface PcieTransportOptions {
  /** Path prefix of the three files, e.g. `/dev/xdma0`. */
  prefix: string;
  /** Soft-reset the card when opening (default true): drops whatever an earlier user left in flight. */
  reset?: boolean;
  /** Bytes asked for per C2H read (default 65536). */
  readBytes?: number;
  /** Milliseconds the soft reset may take (default 2000). */
  resetTimeoutMs?: number;
  /** Milliseconds `close()` waits for the posted C2H read to end (default 2000). */
  closeTimeoutMs?: number;
  /** Name reported by the transport (default `pcie PREFIX`). */
  name?: string;
}

/** The PCIe transport: a {@link Transport} plus the card's register file. */
export interface PcieTransport extends Transport {
  readonly type: 'pcie';
  /** The path prefix of the XDMA files. */
  readonly prefix: string;
  /** Reads one 32-bit register at byte offset `offset` (see PCIE_REG). */
  readRegister(offset: number): Promise<number>;
  /** Writes one 32-bit register. */
  writeRegister(offset: number, value: number): Promise<void>;
  /** Reads the whole register file (64-bit counters LO before HI) and decodes it. */
  readRegisters(): Promise<PcieRegisters>;
  /**
   * Resets the core, the stream adapters and the counters (CONTROL.SOFT_RESET) and waits until
   * the reset is over. Requests in flight are lost: call it only with none outstanding.
   */
  softReset(): Promise<void>;
}

/** Whether `t` is a PCIe transport (with a register file). */
export function isPcieTransport(t: Transport): t is PcieTransport {
  return t.type === 'pcie' && typeof (t as Partial<PcieTransport>).readRegisters === 'function';
}

/** The three file names of an XDMA device prefix. */
export function xdmaPaths(prefix: string): { h2c: string; c2h: string; user: string } {
  return { h2c: `${prefix}_h2c_0`, c2h: `${prefix}_c2h_0`, user: `${prefix}_user` };
}

/** read(2)/pread(2) as a promise; `position` null reads at the file position (streams). */
function readAsync(fd: number, buf: Uint8Array, length: number, position: number | null): Promise<number> {
  return new Promise((resolve, reject) => read(fd, buf, 0, length, position, (err, n) => (err ? reject(err) : resolve(n))));
}

function writeAsync(fd: number, buf: Uint8Array, offset: number, length: number, position: number | null): Promise<number> {
  return new Promise((resolve, reject) =>
    write(fd, buf, offset, length, position, (err, n) => (err ? reject(err) : resolve(n))),
  );
}

const errnoOf = (err: unknown) => (err as NodeJS.ErrnoException | undefined)?.code;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const hex32 = (v: number) => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;

/** C2H reads posted right now, one per open card: each holds a libuv worker thread. */
let postedReads = 0;

/** libuv's worker threads (fixed when the pool first starts: UV_THREADPOOL_SIZE, default 4). */
function threadPoolSize(): number {
  const n = Number.parseInt(process.env.UV_THREADPOOL_SIZE ?? '', 10);
  return Number.isInteger(n) && n > 0 ? n : 4;
}

/** The XDMA driver ends a C2H read that saw no data within its timeout (10 s by default) with one of these. */
const READ_TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ETIME']);

class XdmaTransport extends TransportBase implements PcieTransport {
  readonly type = 'pcie' as const;
  private queue: Uint8Array[] = [];
  private writing: Promise<void> | null = null;
  private pumpDone: Promise<void> = Promise.resolve();
  private closed: Promise<void> | null = null;
  private registerLock: Promise<unknown> = Promise.resolve();

  constructor(
    readonly name: string,
    readonly prefix: string,
    private readonly paths: { h2c: string; c2h: string; user: string },
    private readonly h2c: fsp.FileHandle,
    private readonly c2h: fsp.FileHandle,
    private readonly user: fsp.FileHandle,
    private readonly readBytes: number,
    private readonly resetTimeoutMs: number,
    private readonly closeTimeoutMs: number,
  ) {
    super();
  }

  /** Starts the C2H read loop (after the soft reset, so no stale answer is delivered). */
  start(): void {
    postedReads += 1;
    this.pumpDone = this.pump().finally(() => {
      postedReads -= 1;
    });
  }

  write(bytes: Uint8Array): void {
    if (!this.isOpen) return;
    this.queue.push(bytes);
    this.writing ??= this.flush();
  }

  /** Joins everything queued into one write(2) = one H2C transfer, until the queue is empty. */
  private async flush(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const parts = this.queue;
        this.queue = [];
        const batch = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
        let done = 0;
        while (done < batch.length) done += await writeAsync(this.h2c.fd, batch, done, batch.length - done, null);
      }
    } catch (err) {
      this.queue = [];
      this.fail(new TransportError(`${this.name}: writing ${this.paths.h2c} failed: ${describe(err)}`, { cause: err }));
    } finally {
      this.writing = null;
    }
  }

  /** Keeps one C2H read posted; every chunk goes to the data listeners. */
  private async pump(): Promise<void> {
    const buf = Buffer.allocUnsafe(this.readBytes);
    for (;;) {
      let n: number;
      try {
        n = await readAsync(this.c2h.fd, buf, buf.length, null);
      } catch (err) {
        if (this.closing || this.listeners.closed) return;
        if (READ_TIMEOUT_CODES.has(errnoOf(err) ?? '')) continue; // an idle card: post the read again
        this.fail(new TransportError(`${this.name}: reading ${this.paths.c2h} failed: ${describe(err)}`, { cause: err }));
        return;
      }
      if (this.closing || this.listeners.closed) return;
      if (n === 0) {
        this.fail(new TransportError(`${this.name}: ${this.paths.c2h} reached end of file: the card (or its simulation) went away`));
        return;
      }
      this.listeners.emitData(new Uint8Array(buf.subarray(0, n)));
    }
  }

  readRegister(offset: number): Promise<number> {
    return this.serialized(() => this.readRegisterNow(offset));
  }

  writeRegister(offset: number, value: number): Promise<void> {
    return this.serialized(() => this.writeRegisterNow(offset, value));
  }

  readRegisters(): Promise<PcieRegisters> {
    return this.serialized(async () => {
      // Word by word in address order: the driver takes 4-byte accesses, and LO latches HI.
      const window = new Uint8Array(PCIE_REG.WINDOW_BYTES);
      const view = new DataView(window.buffer);
      for (let o = 0; o < PCIE_REG.WINDOW_BYTES; o += 4) view.setUint32(o, await this.readRegisterNow(o), true);
      return decodePcieRegisters(window);
    });
  }

  softReset(): Promise<void> {
    return this.serialized(async () => {
      await this.writeRegisterNow(PCIE_REG.CONTROL, PCIE_CONTROL.SOFT_RESET);
      const deadline = performance.now() + this.resetTimeoutMs;
      for (;;) {
        const control = await this.readRegisterNow(PCIE_REG.CONTROL);
        if ((control & PCIE_CONTROL.SOFT_RESET) === 0) return;
        if (performance.now() > deadline) {
          throw new TransportError(`${this.name}: the soft reset did not finish within ${this.resetTimeoutMs} ms (CONTROL reads ${hex32(control)})`);
        }
        await sleep(1);
      }
    });
  }

  /** Register accesses run one after another (the pairs LO/HI must not interleave). */
  private serialized<T>(op: () => Promise<T>): Promise<T> {
    const run = this.registerLock.then(op, op);
    this.registerLock = run.catch(() => {});
    return run;
  }

  private async readRegisterNow(offset: number): Promise<number> {
    checkOffset(offset);
    const buf = Buffer.alloc(4);
    let n: number;
    try {
      n = await readAsync(this.user.fd, buf, 4, offset);
    } catch (err) {
      throw new TransportError(`${this.name}: reading register ${hex(offset)} of ${this.paths.user} failed: ${describe(err)}`, { cause: err });
    }
    if (n !== 4) throw new TransportError(`${this.name}: ${this.paths.user} is too short for register ${hex(offset)}`);
    return buf.readUInt32LE(0);
  }

  private async writeRegisterNow(offset: number, value: number): Promise<void> {
    checkOffset(offset);
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new RangeError(`register value ${value} is not 32 bits`);
    const buf = Buffer.alloc(4);
    buf.writeUInt32LE(value, 0);
    try {
      const n = await writeAsync(this.user.fd, buf, 0, 4, offset);
      if (n !== 4) throw new Error(`short write (${n} of 4 bytes)`);
    } catch (err) {
      throw new TransportError(`${this.name}: writing register ${hex(offset)} of ${this.paths.user} failed: ${describe(err)}`, { cause: err });
    }
  }

  /** Ends the link with an error: listeners hear it once; the files are released. */
  private fail(error: TransportError): void {
    if (this.closing || this.listeners.closed) return;
    this.closing = true;
    this.listeners.emitClose(error);
    void this.release();
  }

  /**
   * Sends what is queued, ends the posted read (an INFO request's answer completes it), closes
   * the files. If the card never answers, the read is left to the driver's timeout and its file
   * is closed when it returns (closing it under a pending read could hand its number to a new file).
   */
  async close(): Promise<void> {
    if (this.listeners.closed && !this.closed) return;
    this.closed ??= (async () => {
      this.closing = true;
      if (this.writing) await this.writing;
      const wake = encodeFrame(CMD.INFO, 0xffff);
      await writeAsync(this.h2c.fd, wake, 0, wake.length, null).catch(() => {});
      await this.release();
      this.listeners.emitClose();
    })();
    return this.closed;
  }

  private async release(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const ended = await Promise.race([
      this.pumpDone.then(() => true),
      new Promise<boolean>((r) => {
        timer = setTimeout(() => r(false), this.closeTimeoutMs);
      }),
    ]);
    clearTimeout(timer);
    await Promise.allSettled([this.h2c.close(), this.user.close()]);
    if (ended) await this.c2h.close().catch(() => {});
    else void this.pumpDone.then(() => this.c2h.close().catch(() => {}));
  }
}

function checkOffset(offset: number): void {
  if (!Number.isInteger(offset) || offset < 0 || offset % 4 !== 0 || offset >= 1 << 20) {
    throw new RangeError(`register offset ${offset} must be a multiple of 4 below 1 MiB`);
  }
}

const hex = (v: number) => `0x${v.toString(16).padStart(2, '0')}`;

function describe(err: unknown): string {
  const code = errnoOf(err);
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EPIPE') return 'the card (or its simulation) went away';
  return err instanceof Error ? err.message.split('\n')[0]! : String(err);
}

/** What a missing or unusable file means, in one line a person can act on. */
function openProblem(path: string, err: unknown): string {
  const code = errnoOf(err);
  if (code === 'ENOENT') {
    return `${path} does not exist (is the XDMA driver loaded? for the simulated card run 'evm-fpga sim run --xdma DIR'; docs/pcie.md)`;
  }
  if (code === 'EACCES' || code === 'EPERM') return `permission denied on ${path} (install the udev rule in docs/pcie.md, or run as root)`;
  if (code === 'ENXIO') return `nothing serves ${path}: it is a FIFO without a reader (has the simulation stopped?)`;
  if (code === 'ENOTDIR') return `${path}: a directory in the prefix is not a directory`;
  return `${path}: ${describe(err)}`;
}

/**
 * Opens the card behind `prefix`: checks that the three files exist and are devices (or the
 * simulation's FIFOs), that the register file identifies an evm-fpga card of this protocol
 * version, soft-resets it (unless `reset: false`) and starts reading.
 * @throws TransportError naming the missing or unusable file; ProtocolError when the ID or
 *   version register is wrong.
 */
export async function openPcieTransport(options: PcieTransportOptions): Promise<PcieTransport> {
  const prefix = options.prefix;
  if (typeof prefix !== 'string' || prefix === '') throw new TransportError('a PCIe device needs the XDMA file prefix, e.g. /dev/xdma0');
  const name = options.name ?? `pcie ${prefix}`;
  const paths = xdmaPaths(prefix);
  const pool = threadPoolSize();
  if (postedReads + 1 > pool - 1) {
    throw new TransportError(
      `cannot open ${name}: ${postedReads} PCIe card${postedReads === 1 ? ' is' : 's are'} open and each keeps one of libuv's ${pool} worker threads; start node with UV_THREADPOOL_SIZE=${postedReads + 2} or more`,
    );
  }
  const problem = (path: string, err: unknown) => new TransportError(`cannot open ${name}: ${openProblem(path, err)}`, { cause: err });

  // Every file is checked before any is opened, so the message names the first one missing.
  for (const [what, path] of [['h2c', paths.h2c], ['c2h', paths.c2h], ['user', paths.user]] as const) {
    let st;
    try {
      st = await fsp.stat(path);
    } catch (err) {
      throw problem(path, err);
    }
    const ok = what === 'user' ? st.isCharacterDevice() || st.isFile() : st.isCharacterDevice() || st.isFIFO();
    if (!ok) {
      const kind = st.isDirectory() ? 'a directory' : st.isFile() ? 'a regular file' : 'not a device';
      throw new TransportError(`cannot open ${name}: ${path} is ${kind}, not an XDMA ${what === 'user' ? 'register' : 'stream'} device`);
    }
  }

  const opened: fsp.FileHandle[] = [];
  const open = async (path: string, flags: number) => {
    try {
      const h = await fsp.open(path, flags);
      opened.push(h);
      return h;
    } catch (err) {
      throw problem(path, err);
    }
  };
  try {
    const user = await open(paths.user, constants.O_RDWR);
    const id = await readWord(user, PCIE_REG.ID, paths.user, name);
    if (id !== PROTOCOL.magic) {
      const why = id === 0xffffffff ? 'the card does not answer on the bus (link down, or no bitstream loaded?)' : 'not an evm-fpga card (wrong bitstream, or the wrong XDMA device?)';
      throw new ProtocolError(`${name}: register ID reads ${hex32(id)}, expected ${hex32(PROTOCOL.magic)} ("EVMF"): ${why}`);
    }
    const version = await readWord(user, PCIE_REG.VERSION, paths.user, name);
    if (version >>> 16 !== REGMAP_VERSION || (version & 0xffff) !== PROTOCOL.version) {
      throw new ProtocolError(
        `${name}: the card has register map ${version >>> 16} / protocol ${version & 0xffff}; this host speaks register map ${REGMAP_VERSION} / protocol ${PROTOCOL.version}`,
      );
    }
    // O_NONBLOCK first: a FIFO without a reader fails at once (ENXIO) instead of blocking the
    // open forever; then the real, blocking descriptor.
    const probe = await open(paths.h2c, constants.O_WRONLY | constants.O_NONBLOCK);
    opened.pop();
    await probe.close();
    const h2c = await open(paths.h2c, constants.O_WRONLY);
    const c2h = await open(paths.c2h, constants.O_RDONLY);
    const transport = new XdmaTransport(
      name,
      prefix,
      paths,
      h2c,
      c2h,
      user,
      options.readBytes ?? 65536,
      options.resetTimeoutMs ?? 2000,
      options.closeTimeoutMs ?? 2000,
    );
    if (options.reset ?? true) await transport.softReset();
    transport.start();
    return transport;
  } catch (err) {
    await Promise.allSettled(opened.map((h) => h.close()));
    throw err;
  }
}

async function readWord(user: fsp.FileHandle, offset: number, path: string, name: string): Promise<number> {
  const buf = Buffer.alloc(4);
  let n: number;
  try {
    ({ bytesRead: n } = await user.read(buf, 0, 4, offset));
  } catch (err) {
    throw new TransportError(`cannot open ${name}: reading ${path} failed: ${describe(err)}`, { cause: err });
  }
  if (n !== 4) throw new TransportError(`cannot open ${name}: ${path} is too short to be a register file`);
  return buf.readUInt32LE(0);
}
