// Which tensor backend training workers will get on this machine, and why not a faster one,
// found without loading tfjs into the main process (main coordinates; workers compute).
import { createRequire } from 'node:module';

export function probeBackend(): { name: string; reason: string } {
  const require = createRequire(import.meta.url);
  try {
    require.resolve('@tensorflow/tfjs-node');
    return { name: 'tensorflow', reason: '' };
  } catch {
    // optional dependency dropped at install time (it downloads libtensorflow, which needs internet)
  }
  try {
    require.resolve('@tensorflow/tfjs-backend-wasm');
    return { name: 'wasm', reason: 'tfjs-node is not installed (its install needs internet to fetch libtensorflow)' };
  } catch {
    return { name: 'cpu', reason: 'neither tfjs-node nor the wasm backend is installed' };
  }
}
