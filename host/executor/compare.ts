/** Field-by-field comparison of block outputs (parallel vs sequential vs expected). */
import { bytesToHex, equalsBytes } from '@ethereumjs/util';
import { encodeReceipt } from '@ethereumjs/vm';
import { diffSnapshots } from './state.ts';
import type { BlockOutputs, ExpectedBlock } from './types.ts';

/** Differences between two outputs (empty when identical). `postState` compares the full dumps. */
export function compareOutputs(a: BlockOutputs, b: BlockOutputs): string[] {
  const out: string[] = [];
  const hex = (x: Uint8Array) => bytesToHex(x);
  if (!equalsBytes(a.stateRoot, b.stateRoot)) out.push(`stateRoot ${hex(a.stateRoot)} != ${hex(b.stateRoot)}`);
  if (!equalsBytes(a.receiptsRoot, b.receiptsRoot)) out.push(`receiptsRoot ${hex(a.receiptsRoot)} != ${hex(b.receiptsRoot)}`);
  if (a.gasUsed !== b.gasUsed) out.push(`gasUsed ${a.gasUsed} != ${b.gasUsed}`);
  if (!equalsBytes(a.logsBloom, b.logsBloom)) out.push('logsBloom differs');
  if (a.receipts.length !== b.receipts.length) out.push(`receipts ${a.receipts.length} != ${b.receipts.length}`);
  else {
    const i = a.receipts.findIndex((r, k) => !equalsBytes(encodeReceipt(r as never, 0), encodeReceipt(b.receipts[k] as never, 0)));
    if (i >= 0) out.push(`receipt ${i} differs`);
  }
  const d = diffSnapshots(a.postState, b.postState);
  if (d) out.push(`post-state: ${d}`);
  return out;
}

/** Differences between outputs and what the fixture expects. */
export function compareExpected(o: BlockOutputs, e: ExpectedBlock): string[] {
  const out: string[] = [];
  if (e.stateRoot && !equalsBytes(o.stateRoot, e.stateRoot)) out.push(`stateRoot ${bytesToHex(o.stateRoot)}, expected ${bytesToHex(e.stateRoot)}`);
  if (e.receiptsRoot && !equalsBytes(o.receiptsRoot, e.receiptsRoot)) out.push(`receiptsRoot ${bytesToHex(o.receiptsRoot)}, expected ${bytesToHex(e.receiptsRoot)}`);
  if (o.gasUsed !== e.gasUsed) out.push(`gasUsed ${o.gasUsed}, expected ${e.gasUsed}`);
  if (!equalsBytes(o.logsBloom, e.logsBloom)) out.push('logsBloom differs from expected');
  return out;
}
