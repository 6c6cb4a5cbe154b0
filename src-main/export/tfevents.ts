// TensorBoard event files, written without TensorFlow: TFRecord framing (uint64 length, masked
// CRC-32C of the length, the bytes, masked CRC-32C of the bytes) around hand-encoded `Event`
// protobufs. Scalars are laid out exactly as TF2's `tf.summary.scalar` writes them (a float32 tensor
// with the "scalars" plugin's metadata; tests/main/export/tfevents.test.ts compares bytes with a file
// TensorFlow wrote), text as the "text" plugin's string tensor. Field numbers: tensorflow/core/util/
// event.proto (Event), framework/summary.proto (Summary, Value, SummaryMetadata), tensor.proto.

const CRC32C_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    t[i] = c >>> 0;
  }
  return t;
})();

/** CRC-32C (Castagnoli), the checksum of TFRecord. */
export function crc32c(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC32C_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** TFRecord's masked CRC: rotate right by 15 bits, add a constant. */
export function maskedCrc32c(bytes: Uint8Array): number {
  const c = crc32c(bytes);
  return ((((c >>> 15) | (c << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

/** One TFRecord around `data`. */
export function tfRecord(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + 4 + data.length + 4);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(data.length), true);
  view.setUint32(8, maskedCrc32c(out.subarray(0, 8)), true);
  out.set(data, 12);
  view.setUint32(12 + data.length, maskedCrc32c(data), true);
  return out;
}

// --- protobuf encoding, the few wire types the Event needs ---
function varint(n: number | bigint): number[] {
  let v = BigInt(n);
  if (v < 0n) v += 1n << 64n; // int64 two's complement
  const out: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) b |= 0x80;
    out.push(b);
  } while (v !== 0n);
  return out;
}
const key = (field: number, wire: number): number[] => varint((field << 3) | wire);
const lengthDelimited = (field: number, body: ArrayLike<number>): number[] => [...key(field, 2), ...varint(body.length), ...Array.from(body)];
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

function double(field: number, v: number): number[] {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setFloat64(0, v, true);
  return [...key(field, 1), ...b];
}

/** Event { wall_time = 1; step = 2 (omitted when 0, as proto3 does); ...rest }. */
function event(wallTime: number, step: number, rest: number[]): Uint8Array {
  return Uint8Array.from([...double(1, wallTime), ...(step !== 0 ? [...key(2, 0), ...varint(step)] : []), ...rest]);
}

/** SummaryMetadata { plugin_data = 1 { plugin_name = 1 } }. */
const pluginMetadata = (plugin: string): number[] => lengthDelimited(9, lengthDelimited(1, lengthDelimited(1, utf8(plugin))));

/** The first event of every file: file_version "brain.Event:2". */
export function fileVersionEvent(wallTime: number): Uint8Array {
  return event(wallTime, 0, lengthDelimited(3, utf8('brain.Event:2')));
}

/** Event with summary = 5 { value = 1 { tag = 1, tensor = 8 { dtype DT_FLOAT, shape [], tensor_content float32 }, metadata = 9 "scalars" } }. */
export function scalarEvent(wallTime: number, step: number, tag: string, value: number): Uint8Array {
  const f32 = new Uint8Array(4);
  new DataView(f32.buffer).setFloat32(0, value, true);
  const tensor = [...key(1, 0), ...varint(1), ...lengthDelimited(2, []), ...lengthDelimited(4, f32)];
  const v = [...lengthDelimited(1, utf8(tag)), ...lengthDelimited(8, tensor), ...pluginMetadata('scalars')];
  return event(wallTime, step, lengthDelimited(5, lengthDelimited(1, v)));
}

/** A text summary (markdown in TensorBoard's Text tab): tensor { dtype DT_STRING, shape [], string_val = 8 }. */
export function textEvent(wallTime: number, step: number, tag: string, text: string): Uint8Array {
  const tensor = [...key(1, 0), ...varint(7), ...lengthDelimited(2, []), ...lengthDelimited(8, utf8(text))];
  const v = [...lengthDelimited(1, utf8(tag)), ...lengthDelimited(8, tensor), ...pluginMetadata('text')];
  return event(wallTime, step, lengthDelimited(5, lengthDelimited(1, v)));
}
