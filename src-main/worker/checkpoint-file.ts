// Atomic checkpoint files: write to a temporary name, fsync, rename over the final name, fsync the
// folder. A reader (a resume after a crash) sees either no file or a complete one, never a torn one.
import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export function checkpointFileName(step: number): string {
  return `step-${String(step).padStart(10, '0')}.ckpt`;
}

/** Writes `bytes` atomically as `<dir>/step-<step>.ckpt`; returns the final path. */
export function writeCheckpointAtomic(dir: string, step: number, bytes: Uint8Array): string {
  const final = join(dir, checkpointFileName(step));
  const tmp = `${final}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  try {
    let off = 0;
    while (off < bytes.byteLength) off += writeSync(fd, bytes, off, bytes.byteLength - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, final);
  try {
    const dfd = openSync(dir, 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    // fsync of a directory is not supported everywhere (Windows); the rename is still atomic.
  }
  return final;
}
