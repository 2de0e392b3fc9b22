/**
 * `evm-fpga alu OP A [B [C]]`: one opcode evaluated by the device's EVM unit, printed as `0x` + 64
 * hex digits. `A` is the top of the stack (`alu SUB 0x01 0x03` is 1 − 3). `--file PATH` (or `-`
 * for stdin) takes one `OP A [B [C]]` per line (blank lines and `#` comments skipped) and prints
 * one result per line, in order. Every line is checked before the device is opened.
 */
import { readFileSync } from 'node:fs';
import type { CommandModule } from 'yargs';
import { InvalidInputError } from '../../index.ts';
import { requestToOp } from '../../evm/operands.ts';
import { formatWord, parseOpLines, parseOpTokens } from '../../evm/text.ts';
import { deviceOption, timeoutOption, withDevice } from '../device-option.ts';
import { UsageError } from '../output.ts';

interface Args {
  device: string;
  timeout: number;
  file?: string;
  op?: string;
  operands: string[];
}

function readText(path: string): string {
  try {
    return readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new InvalidInputError(`cannot read ${path}: ${why}`, { cause: err });
  }
}

export const aluCommand: CommandModule<object, Args> = {
  command: 'alu [op] [operands..]',
  describe: 'Evaluate EVM opcodes (ADD … SAR) on the device: OP A [B [C]], A = top of stack',
  builder: (y) =>
    y
      .positional('op', { type: 'string', describe: 'Opcode name (ADD, SUB, ADDMOD, SHL, ...) or 0x-hex code' })
      .positional('operands', { type: 'string', array: true, describe: 'Operands as 0x-hex, top of the stack first' })
      .option('device', deviceOption)
      .option('timeout', timeoutOption)
      .option('file', { type: 'string', requiresArg: true, describe: 'Read one "OP A [B [C]]" per line from PATH (- for stdin)' })
      .example('$0 alu SUB 0x01 0x03', '0xff…fe (1 − 3 mod 2^256)')
      .example('$0 alu ADDMOD 0x05 0x07 0x04', '0x00…00 ((5 + 7) mod 4)')
      .check((a) => {
        const given = a.op !== undefined;
        if (a.file !== undefined && given) throw new UsageError('give an op either as arguments or with --file, not both');
        if (a.file === undefined && !given) throw new UsageError('give an op (OP A [B [C]]), or --file PATH');
        return true;
      }) as never,
  handler: async (a) => {
    // Validate everything before opening the device: bad input fails fast, naming its line.
    const requests =
      a.file !== undefined ? parseOpLines(readText(a.file)) : [parseOpTokens([String(a.op), ...(a.operands ?? []).map(String)], 'alu')];
    if (requests.length === 0) return;
    const results = await withDevice(a.device, a.timeout, (d) => d.evm.execBatch(requests.map(requestToOp)));
    process.stdout.write(results.map((r) => `${formatWord(r.result)}\n`).join(''));
  },
};
