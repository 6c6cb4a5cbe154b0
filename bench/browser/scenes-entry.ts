// Browser side of `npm run bench -- scenes`: mounts each environment's scene at the requested size,
// loads the seeded random-action episode bench/scenes.ts rolled out in Node (where MuJoCo runs for
// hopper and opencat), and times frames (step update + render + GPU finish).
// Bundled by bench/scenes.ts into one IIFE and injected into Chromium; exposes window.labSceneBench.
import { createScene } from '../../src-renderer/scene/host.ts';
import type { BenchEpisode } from '../scene-episode.ts';

interface Timing {
  env: string;
  variant: string;
  frames: number;
  medianMs: number;
  p90Ms: number;
  renderer: string;
}

async function run(width: number, height: number, frames: number, warmup: number, episodes: BenchEpisode[]): Promise<Timing[]> {
  const out: Timing[] = [];
  for (const { env: envId, variant, frames: eps } of episodes) {
    const host = document.createElement('div');
    host.style.width = `${width}px`;
    host.style.height = `${height}px`;
    document.body.appendChild(host);
    const scene = createScene(host, { envId, variant, id: 'bench' });
    scene.resize(width, height);
    scene.setEpisode(eps);
    const gl = (scene.canvas.getContext('webgl2') ?? scene.canvas.getContext('webgl')) as WebGL2RenderingContext;
    const px = new Uint8Array(4);
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : 'unknown';
    const times: number[] = [];
    for (let i = 0; i < warmup + frames; i++) {
      const t0 = performance.now();
      scene.showStep(i % eps.length); // updates the frame and renders
      gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, px); // waits for the GPU (SwiftShader) to finish
      const dt = performance.now() - t0;
      if (i >= warmup) times.push(dt);
      if (i % 10 === 0) await new Promise((r) => setTimeout(r, 0));
    }
    times.sort((a, b) => a - b);
    out.push({ env: envId, variant, frames, medianMs: times[Math.floor(times.length / 2)]!, p90Ms: times[Math.floor(times.length * 0.9)]!, renderer });
    scene.dispose();
    host.remove();
  }
  return out;
}

(window as unknown as { labSceneBench: typeof run }).labSceneBench = run;
