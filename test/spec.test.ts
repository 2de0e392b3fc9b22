/**
 * One source of truth: the Verilog package and the TypeScript constants must be exactly what the
 * generator makes from hdl/spec/evm_fpga.json, and the spec must be self-consistent.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { infoLayout, loadSpec, renderTypeScript, renderVerilog, TS_SPEC_PATH, VERILOG_PKG_PATH } from '../host/spec/generate.ts';
import { INFO_BYTES } from '../host/protocol/spec.ts';

describe('shared spec', () => {
  const spec = loadSpec();

  it('hdl/pkg/evm_fpga_pkg.sv is up to date (run `evm-fpga gen`)', () => {
    expect(readFileSync(VERILOG_PKG_PATH, 'utf8')).toBe(renderVerilog(spec));
  });

  it('host/protocol/spec.ts is up to date (run `evm-fpga gen`)', () => {
    expect(readFileSync(TS_SPEC_PATH, 'utf8')).toBe(renderTypeScript(spec));
  });

  it('INFO fields are naturally aligned and sized as the docs say', () => {
    const layout = infoLayout(spec);
    expect(layout.at(-1)!.offset + layout.at(-1)!.bytes).toBe(INFO_BYTES);
    expect(INFO_BYTES).toBe(88);
  });

  it('a Keccak chunk of maxChunkData plus its header fits one frame', () => {
    expect(spec.keccak.maxChunkData % spec.keccak.rateBytes).toBe(0);
    expect(spec.keccak.maxChunkData + spec.keccak.chunkHeaderBytes).toBeLessThanOrEqual(spec.protocol.maxPayload);
  });
});
