// Exports of a replay: the current frame as PNG, and the whole episode as a WebM video recorded
// from the scene's canvas (MediaRecorder on canvas.captureStream), stepping one frame at a time.
import type { SceneController } from '../../scene/host.ts';

function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The canvas as it is now, as a PNG blob (the scene re-renders first). */
export function framePng(scene: SceneController): Promise<Blob> {
  scene.render();
  return new Promise((resolve, reject) => scene.canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the canvas gave no image'))), 'image/png'));
}

export async function savePng(scene: SceneController, name: string): Promise<void> {
  download(await framePng(scene), name);
}

/**
 * Record steps 0..last at `fps` frames per second (one environment step per frame) and return the
 * WebM blob; `onstep` sees each step (to keep the timeline in sync). Restores the shown step.
 */
export async function recordWebm(scene: SceneController, last: number, fps: number, onstep?: (k: number) => void): Promise<Blob> {
  // VP8 first: software encoders keep up with it at full canvas size.
  const mime = ['video/webm;codecs=vp8', 'video/webm;codecs=vp9', 'video/webm'].find((m) => MediaRecorder.isTypeSupported(m));
  if (!mime) throw new Error('this browser cannot record WebM video');
  const back = scene.step;
  // Frame rate 0: a frame enters the stream only when requested, right after each step is drawn.
  const stream = scene.canvas.captureStream(0);
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
    scene.showStep(k);
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
  scene.showStep(back);
  onstep?.(back);
  return new Blob(chunks, { type: 'video/webm' });
}

export async function saveWebm(scene: SceneController, last: number, fps: number, name: string, onstep?: (k: number) => void): Promise<number> {
  const blob = await recordWebm(scene, last, fps, onstep);
  download(blob, name);
  return blob.size;
}
