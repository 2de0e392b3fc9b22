/** `evm-fpga info`: the device's identity, capabilities and counters. */
import type { CommandModule } from 'yargs';
import { deviceOption, timeoutOption, withDevice } from '../device-option.ts';
import { table, toJson } from '../output.ts';

interface Args {
  device: string;
  timeout: number;
  json: boolean;
}

export const infoCommand: CommandModule<object, Args> = {
  command: 'info',
  describe: 'Show the device identity, capabilities and counters',
  builder: (y) =>
    y.option('device', deviceOption).option('timeout', timeoutOption).option('json', { type: 'boolean', default: false }) as never,
  handler: async (a) => {
    const info = await withDevice(a.device, a.timeout, (d) => d.info());
    if (a.json) {
      process.stdout.write(`${toJson(info)}\n`);
      return;
    }
    const rows = Object.entries(info).map(([k, v]) => {
      if (k === 'magic' || k === 'buildId') return [k, `0x${Number(v).toString(16).padStart(8, '0')}`];
      if (Array.isArray(v)) return [k, v.join(', ') || '-'];
      return [k, String(v)];
    });
    process.stdout.write(`${table(['field', 'value'], rows)}\n`);
  },
};
