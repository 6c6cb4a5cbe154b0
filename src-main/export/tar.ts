// A POSIX ustar archive of regular files (what the app's run export downloads, gzipped): 512-byte
// headers with octal fields and their checksum, the data padded to 512 bytes, two zero blocks at
// the end. Names longer than 100 bytes are split at a '/' into the 155-byte prefix field.

export interface TarFile {
  name: string;
  data: Uint8Array;
  /** Modification time, unix seconds. */
  mtime: number;
}

const BLOCK = 512;
const enc = new TextEncoder();

function field(header: Uint8Array, offset: number, length: number, text: string): void {
  const b = enc.encode(text);
  if (b.length > length) throw new Error(`tar: '${text}' does not fit a ${length}-byte field`);
  header.set(b, offset);
}
/** An octal number in `length - 1` digits and a NUL, as ustar writes sizes and times. */
const octal = (n: number, length: number): string => Math.floor(n).toString(8).padStart(length - 1, '0');

/** Splits a path into ustar's (prefix, name): name <= 100 bytes, prefix <= 155, split at a '/'. */
function splitName(path: string): [string, string] {
  if (enc.encode(path).length <= 100) return ['', path];
  for (let i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (enc.encode(prefix).length <= 155 && enc.encode(name).length <= 100) return [prefix, name];
  }
  throw new Error(`tar: the path '${path}' is too long for a ustar header`);
}

function header(f: TarFile): Uint8Array {
  const h = new Uint8Array(BLOCK);
  const [prefix, name] = splitName(f.name);
  field(h, 0, 100, name);
  field(h, 100, 8, octal(0o644, 8));
  field(h, 108, 8, octal(0, 8));
  field(h, 116, 8, octal(0, 8));
  field(h, 124, 12, octal(f.data.length, 12));
  field(h, 136, 12, octal(f.mtime, 12));
  h.fill(0x20, 148, 156); // the checksum is computed with its own field as spaces
  h[156] = 0x30; // '0': a regular file
  field(h, 257, 6, 'ustar');
  field(h, 263, 2, '00');
  field(h, 345, 155, prefix);
  const sum = h.reduce((a, b) => a + b, 0);
  field(h, 148, 8, `${octal(sum, 7)}\0 `);
  return h;
}

export function tarArchive(files: readonly TarFile[]): Uint8Array {
  const size = files.reduce((a, f) => a + BLOCK + Math.ceil(f.data.length / BLOCK) * BLOCK, 2 * BLOCK);
  const out = new Uint8Array(size);
  let at = 0;
  for (const f of files) {
    out.set(header(f), at);
    out.set(f.data, at + BLOCK);
    at += BLOCK + Math.ceil(f.data.length / BLOCK) * BLOCK;
  }
  return out; // the two closing zero blocks are the array's zero tail
}
