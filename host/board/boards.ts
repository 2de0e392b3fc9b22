/**
 * Finds and loads board files: `hdl/boards/<name>/board.json`, validated against
 * {@link boardSchema}.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BoardFileError } from './errors.ts';
import { boardSchema, type Board } from './schema.ts';

/** The HDL tree (hdl/). */
export const HDL_DIR = fileURLToPath(new URL('../../hdl/', import.meta.url));
/** Where the board folders live. */
export const BOARDS_DIR = join(HDL_DIR, 'boards');

/** Names of the boards with a board file, sorted. */
export function boardNames(): string[] {
  return readdirSync(BOARDS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(BOARDS_DIR, d.name, 'board.json')))
    .map((d) => d.name)
    .sort();
}

/** Validates parsed board-file JSON; `source` names it in errors. */
export function parseBoard(json: unknown, source: string): Board {
  const r = boardSchema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const where = issue.path.length ? issue.path.join('.') : '(top level)';
    throw new BoardFileError(`invalid board file ${source}: ${where}: ${issue.message}`, {
      details: r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'),
      cause: r.error,
    });
  }
  return r.data;
}

/** Loads and validates the board file of `name`. */
export function loadBoard(name: string): Board {
  const names = boardNames();
  if (!names.includes(name)) {
    throw new BoardFileError(`unknown board '${name}' (boards: ${names.join(', ')})`);
  }
  const file = join(BOARDS_DIR, name, 'board.json');
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new BoardFileError(`cannot read board file ${file}: ${(err as Error).message}`, { cause: err });
  }
  const board = parseBoard(json, file);
  if (board.name !== name) {
    throw new BoardFileError(`board file ${file} names the board '${board.name}', not '${name}'`);
  }
  return board;
}
