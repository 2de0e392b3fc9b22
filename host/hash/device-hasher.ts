/**
 * A {@link BatchHasher} on a device's Keccak core: each batch goes out as one pipelined
 * `keccak256Batch` (split into slices of `maxBatch` messages), bracketed by INFO requests whose
 * counter deltas give the device cycles and permutations the batch took. Inputs the device cannot
 * take (longer than `maxMessageBytes`, or every input when the device has no Keccak capability)
 * are hashed in software and counted as such.
 *
 * Several hashers may share one device (the executor's state root and the shadow verifier do):
 * their batches are serialised per device, so each INFO delta belongs to exactly one batch.
 */
import { InvalidInputError } from '../errors.ts';
import type { Device } from '../device/device.ts';
import type { DeviceInfo } from '../protocol/info.ts';
import { formatDeviceSpec } from '../device/spec.ts';
import { keccak256 } from '../executor/keccak.ts';
import { emptyHashStats, totalBytes, type BatchHasher } from './batch-hasher.ts';

/** Options of {@link createDeviceBatchHasher}. */
export interface DeviceBatchHasherOptions {
  /** Messages per `keccak256Batch` call (default 8192). */
  maxBatch?: number;
  /** Longer inputs are hashed in software (default: no limit; the protocol chunks long messages). */
  maxMessageBytes?: number;
}

/** A device hasher with the device it runs on. */
export interface DeviceBatchHasher extends BatchHasher {
  readonly device: Device;
}

const locks = new WeakMap<Device, Promise<unknown>>();

/** Runs `work` after every earlier locked work on `device` settled. */
function locked<T>(device: Device, work: () => Promise<T>): Promise<T> {
  const prev = locks.get(device) ?? Promise.resolve();
  const next = prev.then(work, work);
  locks.set(device, next.catch(() => {}));
  return next;
}

const cycles = (a: DeviceInfo, b: DeviceInfo) => Number(b.keccakCycles - a.keccakCycles);
const u32 = (a: number, b: number) => (b - a) >>> 0;

/** A hasher on `device` (not closed by the hasher). */
export function createDeviceBatchHasher(device: Device, options: DeviceBatchHasherOptions = {}): DeviceBatchHasher {
  const maxBatch = options.maxBatch ?? 8192;
  const maxMessageBytes = options.maxMessageBytes ?? Number.POSITIVE_INFINITY;
  if (!Number.isInteger(maxBatch) || maxBatch < 1) throw new InvalidInputError(`maxBatch must be a positive integer, got ${String(maxBatch)}`);
  if (!(maxMessageBytes >= 0)) throw new InvalidInputError(`maxMessageBytes must be >= 0, got ${String(maxMessageBytes)}`);
  const hasKeccak = device.handshake.capabilityNames.includes('KECCAK');
  const stats = emptyHashStats();
  return {
    name: formatDeviceSpec(device.spec),
    device,
    get stats() {
      return { ...stats };
    },
    hashBatch(inputs) {
      return locked(device, async () => {
        const t0 = performance.now();
        const out = new Array<Uint8Array>(inputs.length);
        const onDevice: number[] = [];
        for (let i = 0; i < inputs.length; i++) {
          const m = inputs[i]!;
          if (hasKeccak && m.length <= maxMessageBytes) onDevice.push(i);
          else {
            out[i] = keccak256(m);
            stats.softwareHashes++;
            stats.softwareBytes += m.length;
          }
        }
        if (onDevice.length) {
          const before = await device.info();
          for (let s = 0; s < onDevice.length; s += maxBatch) {
            const slice = onDevice.slice(s, s + maxBatch);
            const digests = await device.keccak256Batch(slice.map((i) => inputs[i]!));
            slice.forEach((i, k) => (out[i] = digests[k]!));
          }
          const after = await device.info();
          stats.deviceHashes += onDevice.length;
          stats.deviceBytes += onDevice.reduce((n, i) => n + inputs[i]!.length, 0);
          stats.deviceCycles += cycles(before, after);
          stats.permutations += u32(before.permutations, after.permutations);
        }
        stats.batches++;
        stats.hashes += inputs.length;
        stats.bytes += totalBytes(inputs);
        stats.ms += performance.now() - t0;
        return out;
      });
    },
  };
}
