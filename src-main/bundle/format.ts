// The reproduction bundle's container: one gzip file holding a JSON manifest and a binary blob
// section (typed arrays and checkpoint bytes, never base64), with a format version and a SHA-256
// checksum. Layout of the gunzipped bytes:
//   "MAXENT-LAB-BNDL\n"                       16-byte magic
//   {"format":"maxent-lab-bundle","version":1,"manifestBytes":N,"blobBytes":M,"sha256":"<hex>"}\n
//   manifest (N bytes of UTF-8 JSON), then blobs (M bytes)
// sha256 covers manifest + blobs. Readers refuse a newer version, a wrong magic, a truncated file
// and a checksum mismatch, each with one clear message (BundleError).
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';

export const BUNDLE_MAGIC = 'MAXENT-LAB-BNDL\n';
export const BUNDLE_FORMAT = 'maxent-lab-bundle';
/** Version this code writes and the newest it reads. Bump on any incompatible manifest change. */
export const BUNDLE_VERSION = 1;
export const BUNDLE_EXTENSION = '.labbundle';

export class BundleError extends Error {
  override name = 'BundleError';
}

/** A slice of the blob section. */
export interface BlobRef {
  offset: number;
  length: number;
}

/** Collects binary parts while a manifest is built; each part is referenced by offset and length. */
export class BlobWriter {
  private readonly parts: Uint8Array[] = [];
  private size = 0;

  add(bytes: Uint8Array): BlobRef {
    const ref = { offset: this.size, length: bytes.byteLength };
    this.parts.push(bytes);
    this.size += bytes.byteLength;
    return ref;
  }

  /** A typed array's bytes, little-endian as stored on every platform the lab runs on. */
  addArray(a: Float64Array | Float32Array): BlobRef {
    return this.add(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  }

  bytes(): Buffer {
    return Buffer.concat(this.parts, this.size);
  }
}

/** Read access to a bundle's blob section. */
export class BlobReader {
  private readonly blobs: Buffer;

  constructor(blobs: Buffer) {
    this.blobs = blobs;
  }

  get(ref: BlobRef, what: string): Buffer {
    if (!ref || !Number.isInteger(ref.offset) || !Number.isInteger(ref.length) || ref.offset < 0 || ref.length < 0 || ref.offset + ref.length > this.blobs.length) {
      throw new BundleError(`bundle is corrupt: ${what} points outside the data section`);
    }
    return this.blobs.subarray(ref.offset, ref.offset + ref.length);
  }

  float64(ref: BlobRef, what: string): Float64Array {
    const b = this.get(ref, what);
    if (b.length % 8 !== 0) throw new BundleError(`bundle is corrupt: ${what} is not a whole number of float64 values`);
    return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length));
  }

  float32(ref: BlobRef, what: string): Float32Array {
    const b = this.get(ref, what);
    if (b.length % 4 !== 0) throw new BundleError(`bundle is corrupt: ${what} is not a whole number of float32 values`);
    return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length));
  }
}

export interface BundleHeader {
  format: string;
  version: number;
  manifestBytes: number;
  blobBytes: number;
  sha256: string;
}

/**
 * `level` is gzip's (default 6). A campaign piece is written with 0 (stored, not compressed: its
 * float arrays shrink only ~12% anyway), so that git stores each new version of it as a delta
 * against the last (the new one is the old one's bytes with more appended to each array).
 */
export function encodeBundle(manifest: unknown, blobs: Buffer, level = 6): { bytes: Buffer; sha256: string } {
  const manifestBytes = Buffer.from(JSON.stringify(manifest), 'utf8');
  const sha256 = createHash('sha256').update(manifestBytes).update(blobs).digest('hex');
  const header: BundleHeader = { format: BUNDLE_FORMAT, version: BUNDLE_VERSION, manifestBytes: manifestBytes.length, blobBytes: blobs.length, sha256 };
  const raw = Buffer.concat([Buffer.from(BUNDLE_MAGIC, 'utf8'), Buffer.from(`${JSON.stringify(header)}\n`, 'utf8'), manifestBytes, blobs]);
  return { bytes: gzipSync(raw, { level }), sha256 };
}

export interface DecodedBundle {
  header: BundleHeader;
  manifest: unknown;
  blobs: BlobReader;
}

/** Unpack and verify a bundle; every failure is a BundleError with a one-line reason. */
export function decodeBundle(file: Uint8Array): DecodedBundle {
  let raw: Buffer;
  try {
    raw = gunzipSync(file);
  } catch (err) {
    throw new BundleError(`not a MaxEnt Lab bundle, or the file is corrupt (${(err as Error).message})`);
  }
  if (raw.subarray(0, BUNDLE_MAGIC.length).toString('utf8') !== BUNDLE_MAGIC) throw new BundleError('not a MaxEnt Lab bundle (wrong magic bytes)');
  const nl = raw.indexOf(0x0a, BUNDLE_MAGIC.length);
  if (nl < 0) throw new BundleError('bundle is corrupt: no header line');
  let header: BundleHeader;
  try {
    header = JSON.parse(raw.subarray(BUNDLE_MAGIC.length, nl).toString('utf8')) as BundleHeader;
  } catch {
    throw new BundleError('bundle is corrupt: unreadable header');
  }
  if (header.format !== BUNDLE_FORMAT) throw new BundleError(`not a MaxEnt Lab bundle (format '${String(header.format)}')`);
  if (!Number.isInteger(header.version) || header.version < 1) throw new BundleError(`bundle is corrupt: bad format version ${String(header.version)}`);
  if (header.version > BUNDLE_VERSION) {
    throw new BundleError(`bundle format version ${header.version} is newer than this lab reads (version ${BUNDLE_VERSION}); update MaxEnt Lab to import it`);
  }
  const body = raw.subarray(nl + 1);
  if (body.length !== header.manifestBytes + header.blobBytes) {
    throw new BundleError(`bundle is corrupt: expected ${header.manifestBytes + header.blobBytes} bytes of content, found ${body.length}`);
  }
  const sha = createHash('sha256').update(body).digest('hex');
  if (sha !== header.sha256) throw new BundleError('bundle is corrupt: checksum mismatch (SHA-256 of the content differs from the header)');
  let manifest: unknown;
  try {
    manifest = JSON.parse(body.subarray(0, header.manifestBytes).toString('utf8'));
  } catch {
    throw new BundleError('bundle is corrupt: unreadable manifest');
  }
  return { header, manifest, blobs: new BlobReader(body.subarray(header.manifestBytes)) };
}
