// A TensorBoard event-file reader for the tests: TFRecord framing with both CRCs checked, and a
// generic protobuf wire decoder (not the writer's code) for Event, Summary.Value and its tensor.
import { maskedCrc32c } from '../../../src-main/export/tfevents.ts';

export interface ReadEvent {
  wallTime: number;
  step: number;
  fileVersion?: string;
  tag?: string;
  plugin?: string;
  value?: number;
  text?: string;
}

type Fields = Map<number, (bigint | Uint8Array)[]>;

/** Every field of one message: varint and fixed values as bigint or raw bytes, length-delimited as bytes. */
function decode(b: Uint8Array): Fields {
  const out: Fields = new Map();
  let i = 0;
  const varint = (): bigint => {
    let v = 0n;
    for (let shift = 0n; ; shift += 7n) {
      const x = b[i++]!;
      v |= BigInt(x & 0x7f) << shift;
      if ((x & 0x80) === 0) return v;
    }
  };
  while (i < b.length) {
    const k = Number(varint());
    const field = k >> 3;
    const wire = k & 7;
    let v: bigint | Uint8Array;
    if (wire === 0) v = varint();
    else if (wire === 1) (v = b.slice(i, i + 8)), (i += 8);
    else if (wire === 5) (v = b.slice(i, i + 4)), (i += 4);
    else if (wire === 2) {
      const n = Number(varint());
      v = b.slice(i, i + n);
      i += n;
    } else throw new Error(`wire type ${wire}`);
    out.set(field, [...(out.get(field) ?? []), v]);
  }
  return out;
}
const bytes = (f: Fields, n: number): Uint8Array | undefined => f.get(n)?.[0] as Uint8Array | undefined;
const str = (b: Uint8Array | undefined): string | undefined => (b === undefined ? undefined : new TextDecoder().decode(b));

export function readEventFile(file: Uint8Array): ReadEvent[] {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const events: ReadEvent[] = [];
  for (let i = 0, r = 0; i < file.length; r++) {
    const n = Number(view.getBigUint64(i, true));
    if (maskedCrc32c(file.subarray(i, i + 8)) !== view.getUint32(i + 8, true)) throw new Error(`record ${r}: length CRC mismatch`);
    const data = file.subarray(i + 12, i + 12 + n);
    if (maskedCrc32c(data) !== view.getUint32(i + 12 + n, true)) throw new Error(`record ${r}: data CRC mismatch`);
    i += 16 + n;
    const ev = decode(data);
    const wall = bytes(ev, 1)!;
    const out: ReadEvent = { wallTime: new DataView(wall.buffer, wall.byteOffset).getFloat64(0, true), step: Number(ev.get(2)?.[0] ?? 0n) };
    const version = str(bytes(ev, 3));
    if (version !== undefined) out.fileVersion = version;
    const summary = bytes(ev, 5);
    if (summary) {
      const value = decode(bytes(decode(summary), 1)!);
      out.tag = str(bytes(value, 1));
      out.plugin = str(bytes(decode(bytes(decode(bytes(value, 9)!), 1)!), 1));
      const tensor = decode(bytes(value, 8)!);
      if (tensor.get(1)?.[0] === 1n) {
        const c = bytes(tensor, 4)!;
        out.value = new DataView(c.buffer, c.byteOffset).getFloat32(0, true);
      } else out.text = str(bytes(tensor, 8));
    }
    events.push(out);
  }
  return events;
}
