// Checkpoint byte format: "MXLCKPT1", a uint32 (little endian) header length, an ASCII JSON
// header, then 8-byte aligned binary arrays listed in the header (float32 or float64).
// Self-describing, so a checkpoint can be inspected and validated before it is loaded.

export type ArrayEntry = { shape: number[]; data: Float32Array | Float64Array };
export type ArrayMap = Record<string, ArrayEntry>;

const MAGIC = 'MXLCKPT1';

interface HeaderEntry {
  name: string;
  dtype: 'f32' | 'f64';
  shape: number[];
  offset: number; // bytes from the start of the data section
  length: number; // elements
}

function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function encodeCheckpoint(meta: unknown, arrays: ArrayMap): Uint8Array {
  const entries: HeaderEntry[] = [];
  let offset = 0;
  for (const [name, a] of Object.entries(arrays)) {
    const dtype = a.data instanceof Float64Array ? 'f64' : 'f32';
    entries.push({ name, dtype, shape: a.shape, offset, length: a.data.length });
    offset += Math.ceil(a.data.byteLength / 8) * 8;
  }
  const header = asciiJson({ meta, arrays: entries });
  const headerBytes = 8 + 4 + header.length;
  const dataStart = Math.ceil(headerBytes / 8) * 8;
  const out = new Uint8Array(dataStart + offset);
  for (let i = 0; i < 8; i++) out[i] = MAGIC.charCodeAt(i);
  new DataView(out.buffer).setUint32(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[12 + i] = header.charCodeAt(i);
  const names = Object.keys(arrays);
  for (let i = 0; i < names.length; i++) {
    const a = arrays[names[i]!]!.data;
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), dataStart + entries[i]!.offset);
  }
  return out;
}

export function decodeCheckpoint(bytes: Uint8Array): { meta: unknown; arrays: ArrayMap } {
  if (bytes.length < 12) throw new Error('checkpoint: too short to be a MaxEnt Lab checkpoint');
  let magic = '';
  for (let i = 0; i < 8; i++) magic += String.fromCharCode(bytes[i]!);
  if (magic !== MAGIC) throw new Error(`checkpoint: bad magic '${magic}' (not a MaxEnt Lab checkpoint)`);
  const len = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(8, true);
  if (12 + len > bytes.length) throw new Error('checkpoint: truncated header');
  let header = '';
  const CHUNK = 8192;
  for (let i = 0; i < len; i += CHUNK) header += String.fromCharCode(...bytes.subarray(12 + i, 12 + Math.min(len, i + CHUNK)));
  const parsed = JSON.parse(header) as { meta: unknown; arrays: HeaderEntry[] };
  const dataStart = Math.ceil((12 + len) / 8) * 8;
  const arrays: ArrayMap = {};
  for (const e of parsed.arrays) {
    const size = e.dtype === 'f64' ? 8 : 4;
    const start = dataStart + e.offset;
    if (start + e.length * size > bytes.length) throw new Error(`checkpoint: array '${e.name}' is truncated`);
    // copy, so the result does not alias (or require alignment of) the input buffer
    const raw = bytes.slice(start, start + e.length * size);
    arrays[e.name] = { shape: e.shape, data: e.dtype === 'f64' ? new Float64Array(raw.buffer) : new Float32Array(raw.buffer) };
  }
  return { meta: parsed.meta, arrays };
}
