#!/usr/bin/env node
// The `evm-fpga` command. The sources are TypeScript run through tsx's loader, so a clone works
// without a build step (`npm ci` and go).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../host/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
