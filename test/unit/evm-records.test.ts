/**
 * The EVM command's host side without a device: the opcode table, operand validation (one-line
 * InvalidInputErrors), the record encoding against docs/protocol.md's layout, and the text form
 * the CLI reads.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidInputError, ProtocolError } from '../../host/errors.ts';
import { EVM_OPCODE_LIST, lookupOpcode } from '../../host/evm/opcodes.ts';
import { parseEvmOp, requestToOp, WORD_MODULUS } from '../../host/evm/operands.ts';
import {
  decodeEvmRecords,
  decodeEvmResults,
  encodeEvmRecords,
  encodeEvmResults,
  evmResultLength,
} from '../../host/evm/records.ts';
import { formatWord, parseOpLines, parseOpTokens } from '../../host/evm/text.ts';
import { EVM, EVM_OPCODES } from '../../host/protocol/spec.ts';

const word = fc.bigInt({ min: 0n, max: WORD_MODULUS - 1n });

describe('opcode table', () => {
  it('has the 25 opcodes of the spec, ADD 0x01 … SAR 0x1d, in code order', () => {
    expect(EVM_OPCODE_LIST).toHaveLength(25);
    expect(EVM_OPCODE_LIST[0]).toEqual({ name: 'ADD', code: 0x01, inputs: 2 });
    expect(EVM_OPCODE_LIST.at(-1)).toEqual({ name: 'SAR', code: 0x1d, inputs: 2 });
    for (const [name, o] of Object.entries(EVM_OPCODES)) expect(lookupOpcode(name)).toMatchObject(o);
  });

  it('finds opcodes by name in any case, by number and by 0x-hex code', () => {
    expect(lookupOpcode('addmod').code).toBe(0x08);
    expect(lookupOpcode(0x1b).name).toBe('SHL');
    expect(lookupOpcode('0x15').name).toBe('ISZERO');
  });

  it.each([['FOO'], [0x0c], [0x20], [256], [1.5], ['0x0c'], ['']])('rejects %j with a one-line InvalidInputError', (op) => {
    expect(() => lookupOpcode(op)).toThrow(InvalidInputError);
    expect(() => lookupOpcode(op)).toThrow(/^unknown opcode .*ADD 0x01 … SAR 0x1d/);
  });
});

describe('operand validation', () => {
  it('accepts bigints and 0x-hex strings, in stack order, unused operands 0', () => {
    expect(parseEvmOp({ op: 'SUB', a: 1n, b: '0x03' }, 't')).toMatchObject({ opcode: { name: 'SUB' }, a: 1n, b: 3n, c: 0n });
    expect(parseEvmOp({ op: 'ADDMOD', a: '0XFF', b: 2n, c: 3n }, 't')).toMatchObject({ a: 255n, b: 2n, c: 3n });
    expect(parseEvmOp({ op: 'NOT', a: (1n << 256n) - 1n }, 't').a).toBe((1n << 256n) - 1n);
    expect(parseEvmOp({ op: 'ISZERO', a: `0x${'0'.repeat(80)}1` }, 't').a).toBe(1n);
  });

  it.each([
    [{ op: 'SUB', a: 1n }, /^w: SUB takes 2 operands \(a, b\), got 1 \(a\)$/],
    [{ op: 'NOT', a: 1n, b: 2n }, /^w: NOT takes 1 operand \(a\), got 2 \(a, b\)$/],
    [{ op: 'ADDMOD', a: 1n, b: 2n }, /^w: ADDMOD takes 3 operands \(a, b, c\), got 2/],
    [{ op: 'ADD', a: 1n, c: 2n }, /^w: ADD takes 2 operands \(a, b\), got 2 \(a, c\)$/],
    [{ op: 'ADD' }, /^w: ADD takes 2 operands \(a, b\), got 0$/],
    [{ op: 'ADD', a: -1n, b: 0n }, /^w: a: -1 is out of range \(0 ≤ x < 2\^256\)$/],
    [{ op: 'ADD', a: 0n, b: 1n << 256n }, /^w: b: 0x1000.* is out of range/],
    [{ op: 'ADD', a: 0n, b: `0x1${'0'.repeat(64)}` }, /^w: b: .* is out of range/],
    [{ op: 'ADD', a: 0n, b: 5 }, /^w: b: must be a bigint or a 0x-hex string, got the number 5$/],
    [{ op: 'ADD', a: '12', b: 0n }, /^w: a: "12" is not 0x-hex$/],
    [{ op: 'ADD', a: '0x', b: 0n }, /^w: a: "0x" is not 0x-hex$/],
    [{ op: 'ADD', a: '0xzz', b: 0n }, /^w: a: "0xzz" is not 0x-hex$/],
    [{ op: 'MOV', a: 0n, b: 0n }, /^w: unknown opcode "MOV"/],
    [{ op: 12, a: 0n, b: 0n }, /^w: unknown opcode 0x0c/],
    [null, /^w: expected an object \{ op, a, b\?, c\? \}, got null$/],
    ['ADD', /^w: expected an object/],
  ])('bad op %# → one-line InvalidInputError', (op, message) => {
    let error: unknown;
    try {
      parseEvmOp(op, 'w');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });

  it('requestToOp gives back an op that validates to the same request', () => {
    for (const o of EVM_OPCODE_LIST) {
      const r = parseEvmOp({ op: o.code, a: 1n, ...(o.inputs > 1 ? { b: 2n } : {}), ...(o.inputs > 2 ? { c: 3n } : {}) }, 't');
      expect(parseEvmOp(requestToOp(r), 't')).toEqual(r);
    }
  });
});

describe('record encoding', () => {
  it('lays out a request record as docs/protocol.md says (opcode, reserved, A, B, C little-endian)', () => {
    const payload = encodeEvmRecords([{ code: 0x08, a: 0x0102n, b: (1n << 255n) | 7n, c: WORD_MODULUS - 1n }]);
    expect(payload).toHaveLength(EVM.recordBytes);
    expect(payload[0]).toBe(0x08);
    expect([...payload.subarray(1, 8)]).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect([...payload.subarray(8, 11)]).toEqual([0x02, 0x01, 0x00]);
    expect(payload[40]).toBe(7);
    expect(payload[71]).toBe(0x80);
    expect(payload.subarray(72, 104).every((b) => b === 0xff)).toBe(true);
  });

  it('decodes a result record: result, u32 cycles at 32, status at 36', () => {
    const bytes = new Uint8Array(2 * EVM.resultBytes);
    bytes[0] = 0xfe;
    bytes[31] = 0x80;
    bytes.set([0x78, 0x56, 0x34, 0x12], 32);
    bytes[36] = 0;
    bytes[EVM.resultBytes + 36] = 1;
    expect(decodeEvmResults(bytes)).toEqual([
      { result: (1n << 255n) | 0xfen, cycles: 0x12345678, status: 0 },
      { result: 0n, cycles: 0, status: 1 },
    ]);
  });

  it('round-trips any records and results', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ code: fc.integer({ min: 0, max: 255 }), a: word, b: word, c: word }), { minLength: 1, maxLength: 39 }),
        (records) => {
          const payload = encodeEvmRecords(records);
          expect(payload.length).toBe(records.length * EVM.recordBytes);
          expect(decodeEvmRecords(payload)).toEqual(records);
          const results = records.map((r, i) => ({ result: r.a, cycles: i * 1000 + 3, status: i & 1 }));
          const encoded = encodeEvmResults(results);
          expect(encoded.length).toBe(evmResultLength(payload.length));
          expect(decodeEvmResults(encoded, records.length)).toEqual(results);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('encodes a slice of a longer list, and refuses 0 or more than 39 records', () => {
    const ops = Array.from({ length: 100 }, (_, i) => ({ code: 1, a: BigInt(i), b: 0n, c: 0n }));
    expect(decodeEvmRecords(encodeEvmRecords(ops, 39, 78)).map((r) => r.a)).toEqual(ops.slice(39, 78).map((o) => o.a));
    expect(() => encodeEvmRecords(ops, 0, 40)).toThrow(RangeError);
    expect(() => encodeEvmRecords([])).toThrow(RangeError);
  });

  it('rejects results of the wrong length as a ProtocolError', () => {
    expect(() => decodeEvmResults(new Uint8Array(41))).toThrow(ProtocolError);
    expect(() => decodeEvmResults(new Uint8Array(80), 3)).toThrow(/expected 120/);
  });
});

describe('text form (alu --file)', () => {
  it('formats words as 0x + 64 digits', () => {
    expect(formatWord(WORD_MODULUS - 2n)).toBe(`0x${'f'.repeat(63)}e`);
    expect(formatWord(0n)).toBe(`0x${'0'.repeat(64)}`);
  });

  it('parses lines, skipping blanks and # comments, keeping order', () => {
    const text = '# header\nSUB 0x01 0x03\n\n  addmod 0x05 0x07 0x04   # trailing\nNOT 0x00\r\n';
    const ops = parseOpLines(text);
    expect(ops.map((o) => [o.opcode.name, o.a, o.b, o.c])).toEqual([
      ['SUB', 1n, 3n, 0n],
      ['ADDMOD', 5n, 7n, 4n],
      ['NOT', 0n, 0n, 0n],
    ]);
  });

  it.each([
    ['ADD 0x01 0x02\nSUB 0x01\n', /^line 2: SUB takes 2 operands/],
    ['\n\nFOO 0x01 0x02\n', /^line 3: unknown opcode "FOO"/],
    ['ADD 0x01 12\n', /^line 1: b: "12" is not 0x-hex$/],
    ['ADD 0x01 0x02 0x03 0x04\n', /^line 1: at most 3 operands/],
  ])('bad line → one-line error naming the line (%j)', (text, message) => {
    expect(() => parseOpLines(text)).toThrow(InvalidInputError);
    expect(() => parseOpLines(text)).toThrow(message);
  });

  it('parses command-line tokens', () => {
    expect(parseOpTokens(['SUB', '0x01', '0x03'], 'alu')).toMatchObject({ a: 1n, b: 3n });
    expect(() => parseOpTokens([], 'alu')).toThrow(/^alu: no opcode$/);
  });
});
