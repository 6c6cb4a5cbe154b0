// Worker-thread entry that builds the Paper results store (./paper-build.ts) off the main thread;
// bundled as out/main/paper-build.js for the desktop app. Posts the PaperBuild, or
// { error } when something other than a bad bundle went wrong.
import { parentPort, workerData } from 'node:worker_threads';
import { buildPaperStore } from './paper-build.ts';

const { dir, dbPath } = workerData as { dir: string; dbPath: string };
try {
  parentPort!.postMessage(buildPaperStore(dir, dbPath));
} catch (err) {
  parentPort!.postMessage({ error: err instanceof Error ? err.message : String(err) });
}
