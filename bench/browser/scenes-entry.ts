// Browser side of `npm run bench -- scenes`: mounts each environment's scene at the requested size,
// loads a seeded random-action episode, and times frames (step update + render + GPU finish).
// Bundled by bench/scenes.ts into one IIFE and injected into Chromium; exposes window.labSceneBench.
import { DRAWABLE_ENVS, drawEpisode } from '../../src-core/draw/index.ts';
import { makeEnv } from '../../src-core/envs/registry.ts';
import { Rng } from '../../src-core/rng.ts';
import { createScene } from '../../src-renderer/scene/host.ts';

interface Timing {
  env: string;
  variant: string;
  frames: number;
  medianMs: number;
  p90Ms: number;
  renderer: string;
}

function episode(envId: string, variant: string, seed: number) {
  const env = makeEnv(envId, variant);
  const rng = new Rng(seed, 1);
  env.reset(new Rng(seed));
  const states: number[] = Array.from(env.getState());
  const actions: number[] = [];
  for (let t = 0; t < env.maxEpisodeSteps; t++) {
    const a = env.actionSpace.sample(rng);
    const r = env.step(a);
    actions.push(...a);
    states.push(...env.getState());
    if (r.terminated || r.truncated) break;
  }
  return drawEpisode(envId, variant, env.params, states, env.stateNames.length, actions, env.actionSpace.dim);
}

async function run(width: number, height: number, frames: number, warmup: number): Promise<Timing[]> {
  const out: Timing[] = [];
  const envs: [string, string][] = DRAWABLE_ENVS.map((e) => [e, makeEnv(e).variant]);
  for (const [envId, variant] of envs) {
    const host = document.createElement('div');
    host.style.width = `${width}px`;
    host.style.height = `${height}px`;
    document.body.appendChild(host);
    const scene = createScene(host, { envId, variant, id: 'bench' });
    scene.resize(width, height);
    const eps = episode(envId, variant, 1);
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
