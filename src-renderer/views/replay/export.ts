// Exports of a replay: the current frame as PNG, and the whole episode as a WebM video recorded
// from the scene's canvas (MediaRecorder on canvas.captureStream), stepping one frame at a time.
import type { SceneController } from '../../scene/host.ts';
import { saveBlob } from '../../lib/download.ts';

/** The canvas as it is now, as a PNG blob (the scene re-renders first). */
export function framePng(scene: SceneController): Promise<Blob> {
  scene.render();
  return new Promise((resolve, reject) => scene.canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the canvas gave no image'))), 'image/png'));
}

export async function savePng(scene: SceneController, name: string): Promise<void> {
  saveBlob(name, await framePng(scene));
}

/**
 * Record steps 0..last of `canvas` at `fps` frames per second (one environment step per frame):
 * `draw(k)` puts step k on the canvas, `onstep` sees each step (to keep the timeline in sync).
 */
async function recordCanvas(canvas: HTMLCanvasElement, draw: (k: number) => void, last: number, fps: number, onstep?: (k: number) => void): Promise<Blob> {
  // VP8 first: software encoders keep up with it at full canvas size.
  const mime = ['video/webm;codecs=vp8', 'video/webm;codecs=vp9', 'video/webm'].find((m) => MediaRecorder.isTypeSupported(m));
  if (!mime) throw new Error('this browser cannot record WebM video');
  // Frame rate 0: a frame enters the stream only when requested, right after each step is drawn.
  const stream = canvas.captureStream(0);
  const track = stream.getVideoTracks()[0] as MediaStreamTrack & { requestFrame?: () => void };
  const recorder = new MediaRecorder(stream, { mimeType: mime });
  const chunks: Blob[] = [];
  recorder.ondataavailable = (e) => {
    if (e.data.size > 0) chunks.push(e.data);
  };
  const stopped = new Promise<void>((resolve) => (recorder.onstop = () => resolve()));
  const wait = (): Promise<void> => new Promise((r) => setTimeout(r, 1000 / fps));
  recorder.start();
  await wait();
  for (let k = 0; k <= last; k++) {
    draw(k);
    track.requestFrame?.();
    onstep?.(k);
    await wait();
  }
  track.requestFrame?.(); // hold the last step for one more frame
  await wait();
  await new Promise((r) => setTimeout(r, 250)); // let the encoder drain before stopping
  recorder.stop();
  await stopped;
  for (const t of stream.getTracks()) t.stop();
  return new Blob(chunks, { type: 'video/webm' });
}

/** One scene's episode as WebM; the shown step is restored afterwards. */
export async function recordWebm(scene: SceneController, last: number, fps: number, onstep?: (k: number) => void): Promise<Blob> {
  const back = scene.step;
  try {
    return await recordCanvas(scene.canvas, (k) => scene.showStep(k), last, fps, onstep);
  } finally {
    scene.showStep(back);
    onstep?.(back);
  }
}

/**
 * Several synchronised viewports as one WebM: each frame composes the viewports side by side (two
 * per row) after every one shows step k (a viewport whose episode ended keeps its last step).
 */
export async function recordSideBySide(scenes: SceneController[], last: number, fps: number, onstep?: (k: number) => void): Promise<Blob> {
  const cols = Math.min(2, scenes.length);
  const w = Math.max(...scenes.map((s) => s.canvas.width));
  const h = Math.max(...scenes.map((s) => s.canvas.height));
  const out = document.createElement('canvas');
  out.width = cols * w;
  out.height = Math.ceil(scenes.length / cols) * h;
  const g = out.getContext('2d')!;
  const backs = scenes.map((s) => s.step);
  try {
    return await recordCanvas(out, (k) => {
      g.fillStyle = '#ffffff';
      g.fillRect(0, 0, out.width, out.height);
      scenes.forEach((s, i) => {
        s.showStep(k); // clamps to its episode
        g.drawImage(s.canvas, (i % cols) * w, Math.floor(i / cols) * h);
      });
    }, last, fps, onstep);
  } finally {
    scenes.forEach((s, i) => s.showStep(backs[i]!));
    onstep?.(backs[0] ?? 0);
  }
}

export async function saveWebm(scene: SceneController, last: number, fps: number, name: string, onstep?: (k: number) => void): Promise<number> {
  const blob = await recordWebm(scene, last, fps, onstep);
  saveBlob(name, blob);
  return blob.size;
}

export async function saveSideBySideWebm(scenes: SceneController[], last: number, fps: number, name: string, onstep?: (k: number) => void): Promise<number> {
  const blob = await recordSideBySide(scenes, last, fps, onstep);
  saveBlob(name, blob);
  return blob.size;
}
