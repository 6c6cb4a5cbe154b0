#!/usr/bin/env node
// `node resources/icons/make-icon.js` writes resources/icons/icon.png (256x256, the window icon on Linux/Windows) by rasterising the
// same picture as resources/icons/icon.svg with plain geometry, so no image tool is needed.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const N = 256;
const px = new Uint8Array(N * N * 4);
const hex = (h) => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)];
function segDist(x, y, ax, ay, bx, by) {
  const dx = bx - ax, dy = by - ay;
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - (ax + t * dx), y - (ay + t * dy));
}
const shapes = [
  [(x, y) => segDist(x, y, 40, 128, 112, 128) - 7, hex('#e6e6e6')],
  [(x, y) => segDist(x, y, 112, 128, 200, 64) - 5, hex('#5fd38a')],
  [(x, y) => segDist(x, y, 112, 128, 200, 192) - 13, hex('#ff6b6b')],
  [(x, y) => Math.hypot(x - 112, y - 128) - 16, hex('#5ea2ff')],
];
for (let y = 0; y < N; y++) {
  for (let x = 0; x < N; x++) {
    const cx = Math.min(Math.max(x + 0.5, 48), N - 48), cy = Math.min(Math.max(y + 0.5, 48), N - 48);
    const corner = Math.hypot(x + 0.5 - cx, y + 0.5 - cy) - 48; // rounded square, radius 48
    let c = hex('#16181c');
    let a = Math.max(0, Math.min(1, 0.5 - corner));
    for (const [d, col] of shapes) {
      const cov = Math.max(0, Math.min(1, 0.5 - d(x + 0.5, y + 0.5)));
      c = c.map((v, i) => v * (1 - cov) + col[i] * cov);
    }
    px.set([...c.map(Math.round), Math.round(a * 255)], (y * N + x) * 4);
  }
}
const raw = Buffer.alloc(N * (N * 4 + 1));
for (let y = 0; y < N; y++) Buffer.from(px.buffer, y * N * 4, N * 4).copy(raw, y * (N * 4 + 1) + 1);
const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc = (b) => (b.reduce((c, v) => crcTable[(c ^ v) & 0xff] ^ (c >>> 8), 0xffffffff) ^ 0xffffffff) >>> 0;
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const c = Buffer.alloc(4);
  c.writeUInt32BE(crc(td));
  return Buffer.concat([len, td, c]);
}
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(N, 0);
ihdr.writeUInt32BE(N, 4);
ihdr.set([8, 6, 0, 0, 0], 8);
const png = Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
writeFileSync(new URL('./icon.png', import.meta.url), png);
console.log(`resources/icons/icon.png: ${png.length} bytes`);
