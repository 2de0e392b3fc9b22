/** `evm-fpga info`: the device's identity, capabilities and counters. */
import type { CommandModule } from 'yargs';
import { deviceOption, timeoutOption, withDevice } from '../device-option.ts';
import { table, toJson } from '../output.ts';
import type { PoolMemberInfo } from '../../device/pool.ts';
import { isPcieTransport } from '../../transport/pcie.ts';
import type { PcieRegisters } from '../../transport/pcie-regs.ts';

/** The PCIe card's register file (pcie: and sim:pcie devices), shown under the INFO fields. */
function registerRows(r: PcieRegisters): string[][] {
  const hex = (v: number) => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;
  return [
    ['id', hex(r.id)],
    ['version', `register map ${r.regmapVersion}, protocol ${r.protocolVersion}`],
    ['capabilities', hex(r.capabilities)],
    ['stream', `${r.streamBytes * 8}-bit AXI4-Stream`],
    ['clockHz', String(r.clockHz)],
    ['buildId', hex(r.buildId)],
    ['control / status', `${hex(r.control)} / ${hex(r.status)}`],
    ['scratch', hex(r.scratch)],
    ['cycles', String(r.cycles)],
    ['h2c bytes / packets', `${r.h2cBytes} / ${r.h2cPackets}`],
    ['c2h bytes / packets', `${r.c2hBytes} / ${r.c2hPackets}`],
    ['soft resets', String(r.softResets)],
  ];
}

function describeMember(m: PoolMemberInfo): string {
  const state = m.state === 'live' ? `live, ${m.completed} answered` : `removed: ${m.removedBecause ?? 'closed'}`;
  return `#${m.index + 1} ${m.spec} (${state}${m.storageSession ? ', storage session' : ''})`;
}

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
    const { info, pcie } = await withDevice(a.device, a.timeout, async (d) => ({
      info: await d.info(),
      pcie: isPcieTransport(d.transport) ? await d.transport.readRegisters() : undefined,
    }));
    if (a.json) {
      process.stdout.write(`${toJson(pcie ? { ...info, pcieRegisters: pcie } : info)}\n`);
      return;
    }
    const rows = Object.entries(info).map(([k, v]) => {
      if (k === 'magic' || k === 'buildId') return [k, `0x${Number(v).toString(16).padStart(8, '0')}`];
      // A pool (pool:SPEC,...): one line per member; the counters above are summed over live members.
      if (k === 'members' && Array.isArray(v)) return [k, (v as unknown as PoolMemberInfo[]).map(describeMember).join('; ')];
      if (Array.isArray(v)) return [k, v.join(', ') || '-'];
      return [k, String(v)];
    });
    process.stdout.write(`${table(['field', 'value'], rows)}\n`);
    if (pcie) process.stdout.write(`\nPCIe register file (${a.device}):\n${table(['register', 'value'], registerRows(pcie))}\n`);
  },
};
