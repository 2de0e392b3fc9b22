/**
 * The `--device SPEC` option shared by every command that talks to hardware, and the open/close
 * bracket around a command's work.
 */
import type { Options } from 'yargs';
import { openDevice, type Device } from '../index.ts';
import { progressPrinter } from './output.ts';

/** `--device`: where the device is. The default is the Verilator simulation of the RTL. */
export const deviceOption: Options = {
  type: 'string',
  default: 'sim',
  describe: 'Device: sim | sim:uart (bit-accurate UART) | sim?rounds=2 | uart:/dev/ttyUSB1?baud=3000000 | tcp:HOST:PORT | pcie:/dev/xdma0 (XDMA driver files) | sim:pcie (the simulated PCIe card) | pool:SPEC,SPEC,... (several devices behind one API, e.g. pool:sim,sim)',
};

/** `--timeout`: per-request timeout before a retry, in milliseconds. */
export const timeoutOption: Options = {
  type: 'number',
  default: 5000,
  describe: 'Per-request timeout in ms before a retry',
};

/** Opens the device (building the simulation first when needed, with progress), runs `work`, closes it. */
export async function withDevice<T>(spec: string, timeoutMs: number, work: (device: Device) => Promise<T>): Promise<T> {
  const progress = progressPrinter('device');
  let device: Device;
  try {
    device = await openDevice(spec, { progress, timeoutMs });
  } finally {
    progress.done();
  }
  try {
    return await work(device);
  } finally {
    await device.close();
  }
}
