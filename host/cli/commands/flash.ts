/**
 * `evm-fpga flash --board NAME [--bitstream FILE]`: writes a bitstream to the board with
 * openFPGALoader. Then `evm-fpga selftest --device uart:<port>?baud=<baud>` is the first check
 * (the command prints it).
 */
import type { CommandModule } from 'yargs';
import { boardNames, loadBoard } from '../../board/boards.ts';
import { defaultOutDir } from '../../board/build.ts';
import { defaultBitstream, flashBoard } from '../../board/flash.ts';
import { progressPrinter, UsageError } from '../output.ts';

interface Args {
  board: string;
  bitstream?: string;
  out?: string;
}

export const flashCommand: CommandModule<object, Args> = {
  command: 'flash',
  describe: 'Write a bitstream to a board with openFPGALoader',
  builder: (y) =>
    y
      .option('board', { type: 'string', demandOption: true, describe: `Board name (${boardNames().join(', ')})` })
      .option('bitstream', { type: 'string', describe: "Bitstream file (default: the build's, in out/boards/<board>/)" })
      .option('out', { type: 'string', describe: 'Build output directory to take the bitstream from' })
      .example('$0 flash --board ice40-hx8k', 'after evm-fpga build --board ice40-hx8k') as never,
  handler: async (a) => {
    if (!boardNames().includes(a.board)) throw new UsageError(`unknown board '${a.board}' (boards: ${boardNames().join(', ')})`);
    const board = loadBoard(a.board);
    const bitstream = a.bitstream ?? defaultBitstream(board, a.out ?? defaultOutDir(board.name));
    const progress = progressPrinter(`flash ${board.name}`);
    try {
      // The tool's own lines only on a terminal: in logs the one-line verdict below says it all.
      await flashBoard(board, { bitstream, ...(process.stderr.isTTY ? { onLine: (line: string) => progress(line.trim().slice(0, 100)) } : {}) });
    } finally {
      progress.done();
    }
    process.stdout.write(
      `flashed ${bitstream} to the ${board.title}\nnext: evm-fpga selftest --device uart:${board.uart.hostPort}?baud=${board.uart.baud}\n`,
    );
  },
};
