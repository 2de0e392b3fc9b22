/**
 * `evm-fpga keccak HEX...`: Keccak-256 digests computed by the device, one `0x…` line per message,
 * in order. `--file PATH` (or `-` for stdin) takes one hex message per line; an empty line is the
 * empty message.
 */
import { readFileSync } from 'node:fs';
import { UsageError } from '../output.ts';
import type { CommandModule } from 'yargs';
import { bytesToHex, hexToBytes, InvalidInputError } from '../../index.ts';
import { deviceOption, timeoutOption, withDevice } from '../device-option.ts';

interface Args {
  device: string;
  timeout: number;
  file?: string;
  messages: string[];
}

/** Reads the `--file` input: one hex message per line; a trailing newline does not add a message. */
export function readMessageLines(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new InvalidInputError(`cannot read ${path}: ${why}`, { cause: err });
  }
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => l.trim());
}

export const keccakCommand: CommandModule<object, Args> = {
  command: 'keccak [messages..]',
  describe: 'Keccak-256 of hex messages, computed by the device',
  builder: (y) =>
    y
      .positional('messages', { type: 'string', array: true, describe: 'Messages as hex (0x optional; "" or 0x is empty)' })
      .option('device', deviceOption)
      .option('timeout', timeoutOption)
      .option('file', { type: 'string', requiresArg: true, describe: 'Read one hex message per line from PATH (- for stdin)' })
      .check((a) => {
        const n = ((a.messages as string[] | undefined) ?? []).length;
        if (a.file !== undefined && n > 0) throw new UsageError('give messages either as arguments or with --file, not both');
        if (a.file === undefined && n === 0) throw new UsageError('give at least one hex message, or --file PATH');
        return true;
      }) as never,
  handler: async (a) => {
    const texts = a.file !== undefined ? readMessageLines(a.file) : (a.messages ?? []).map(String);
    // Validate every message before opening the device: bad input fails fast with its line number.
    const messages = texts.map((t, i) => {
      try {
        return hexToBytes(t);
      } catch (err) {
        const where = a.file !== undefined ? `line ${i + 1}` : `message ${i + 1}`;
        throw new InvalidInputError(`${where}: ${(err as Error).message}`, { cause: err });
      }
    });
    const digests = await withDevice(a.device, a.timeout, (d) => d.keccak256Batch(messages));
    process.stdout.write(digests.map((d) => `${bytesToHex(d)}\n`).join(''));
  },
};
