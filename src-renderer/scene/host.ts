// The scene host: one WebGL canvas with a camera (orbit or follow), lights, the environment's
// scene, labelled axes in metres, a scale bar, a ground grid and a trail. Renders on demand.
// Every drawn step is published on window.__labScenes[id] (and the canvas's data-step) so tests
// and tools can read exactly what is on screen as numbers.
import * as THREE from 'three';
import { OrbitControls } from 'three/addons/controls/OrbitControls.js';
import { drawScenery, type DrawFrame } from '../../src-core/draw/index.ts';
import { groundGrid, labelledAxes, niceStep, scaleBar, Trail, planePoint, verticalAxis } from './guides.ts';
import { acrobotScene } from './envs/acrobot.ts';
import { mjcfScene } from './envs/mjcf.ts';
import { obstacle2dScene } from './envs/obstacle2d.ts';
import { pendulumScene } from './envs/pendulum.ts';
import { quadrotorScene } from './envs/quadrotor.ts';
import { toyScene } from './envs/toy.ts';
import { vehicleScene } from './envs/vehicle.ts';
import type { EnvScene } from './types.ts';

export type CameraMode = 'orbit' | 'follow';

export interface SceneOptions {
  envId: string;
  variant: string;
  params?: Record<string, number>;
  /** Key under window.__labScenes (defaults to 'main'). */
  id?: string;
  camera?: CameraMode;
  /** Start with the legend folded (small viewports); a click on it unfolds it. */
  legendFolded?: boolean;
}

/** What a scene publishes for tests and tools after every draw. */
export interface SceneDebug {
  env: string;
  step: number;
  steps: number;
  frame: DrawFrame | null;
  renders: number;
}

declare global {
  interface Window {
    __labScenes?: Record<string, SceneDebug>;
  }
}

export interface SceneController {
  readonly canvas: HTMLCanvasElement;
  readonly step: number;
  readonly cameraMode: CameraMode;
  /** Load an episode's frames (frame k = state k); shows step 0. */
  setEpisode(frames: DrawFrame[]): void;
  /** Show step k (clamped to the episode). */
  showStep(k: number): void;
  setCamera(mode: CameraMode): void;
  render(): void;
  resize(width: number, height: number): void;
  dispose(): void;
}

function buildEnvScene(envId: string, variant: string, params: Record<string, number>): EnvScene {
  const s = drawScenery(envId, variant, params);
  switch (s.env) {
    case 'toy': return toyScene(s);
    case 'vehicle': return vehicleScene(s);
    case 'quadrotor': return quadrotorScene(s);
    case 'acrobot': return acrobotScene(s);
    case 'obstacle2d': return obstacle2dScene(s);
    case 'pendulum': return pendulumScene(s);
    case 'hopper':
    case 'opencat': return mjcfScene(s);
  }
}

export function createScene(container: HTMLElement, opts: SceneOptions): SceneController {
  const id = opts.id ?? 'main';
  const env = buildEnvScene(opts.envId, opts.variant, opts.params ?? {});
  const renderer = new THREE.WebGLRenderer({ antialias: false, preserveDrawingBuffer: true });
  renderer.setPixelRatio(1);
  renderer.setClearColor(0xfafafa);
  const canvas = renderer.domElement;
  canvas.dataset.env = opts.envId;
  canvas.dataset.sceneId = id;
  canvas.style.display = 'block';
  container.appendChild(canvas);
  const legend = document.createElement('div');
  legend.className = 'scene-legend';
  legend.style.cssText = 'position:absolute;left:6px;top:4px;font:11px system-ui,sans-serif;color:#333;background:rgba(250,250,250,0.8);padding:2px 6px;border-radius:3px;cursor:pointer;line-height:1.4;user-select:none';
  legend.title = 'click to fold or unfold the legend';
  const head = document.createElement('div');
  head.textContent = 'legend';
  head.style.fontWeight = '600';
  legend.appendChild(head);
  const rows: HTMLElement[] = [];
  let folded = opts.legendFolded ?? false;
  const showRows = (): void => {
    for (const r of rows) r.style.display = folded ? 'none' : 'block';
    head.textContent = folded ? 'legend ▸' : 'legend ▾';
  };
  legend.addEventListener('click', () => {
    folded = !folded;
    showRows();
  });
  for (const item of env.legend) {
    const row = document.createElement('div');
    const swatch = document.createElement('span');
    swatch.style.cssText = `display:inline-block;width:10px;height:10px;margin-right:5px;vertical-align:-1px;background:${item.color}`;
    row.append(swatch, item.text);
    rows.push(row);
    legend.appendChild(row);
  }
  showRows();
  container.appendChild(legend);

  const scene = new THREE.Scene();
  scene.add(new THREE.AmbientLight(0xffffff, 1.6));
  const sun = new THREE.DirectionalLight(0xffffff, 1.6);
  sun.position.set(3, -5, 10);
  scene.add(sun, env.object);

  const { extent, plane } = env;
  const span = Math.max(extent.max[0] - extent.min[0], extent.max[1] - extent.min[1]);
  const gridStep = niceStep(span, 10);
  if (env.unit) {
    const grid = groundGrid('xy', plane === 'xy' ? extent : { min: [extent.min[0], -span / 4], max: [extent.max[0], span / 4] }, gridStep);
    if (env.groundLevel !== undefined) grid.position.z = env.groundLevel;
    else if (plane === 'xz') grid.position.z = extent.min[1];
    const axes = labelledAxes(plane, extent, env.unit);
    if (env.groundLevel !== undefined) axes.position.z = env.groundLevel; // 3D scenes: axes on the ground
    scene.add(grid, axes);
    if (env.zRange) scene.add(verticalAxis(extent.min[0], extent.max[1], env.zRange[0], env.zRange[1], env.unit));
    const bar = niceStep(span, 5);
    const scale = scaleBar(plane, extent.max[0] - bar, extent.min[1] + bar * 0.3, bar, env.unit);
    if (env.groundLevel !== undefined) scale.position.z = env.groundLevel;
    scene.add(scale);
  }
  const trail = env.trailColor === null ? null : new Trail(2048, env.trailColor);
  if (trail) scene.add(trail.line);

  const center = planePoint(plane, (extent.min[0] + extent.max[0]) / 2, (extent.min[1] + extent.max[1]) / 2);
  const camera = new THREE.PerspectiveCamera(40, 16 / 9, span / 200, span * 20);
  camera.up.set(0, 0, 1);
  // View direction from the target: nearly top-down for x-y scenes, from the front (-y) for x-z ones.
  const viewDir = (env.viewDir ? new THREE.Vector3(...env.viewDir) : plane === 'xy' ? new THREE.Vector3(0, -0.3, 1) : new THREE.Vector3(0, -1, 0.12)).normalize();
  const controls = new OrbitControls(camera, canvas);

  /** Distance at which the extent (with a margin for the axis labels) fills the viewport. */
  const fitDistance = (): number => {
    const w = (extent.max[0] - extent.min[0]) * 1.3;
    const h = (extent.max[1] - extent.min[1]) * 1.3;
    const t = Math.tan(THREE.MathUtils.degToRad(camera.fov / 2));
    return Math.max(h / 2 / t, w / 2 / (t * camera.aspect));
  };
  const fit = (): void => {
    controls.target.copy(center);
    camera.position.copy(center).addScaledVector(viewDir, fitDistance());
    controls.update();
  };

  let frames: DrawFrame[] = [];
  let step = 0;
  let mode: CameraMode = opts.camera ?? env.defaultCamera ?? 'orbit';
  let renders = 0;
  const followOffset = new THREE.Vector3();
  let following = false;

  const debug = (): void => {
    window.__labScenes ??= {};
    window.__labScenes[id] = { env: opts.envId, step, steps: frames.length, frame: frames[step] ?? null, renders };
    canvas.dataset.step = String(step);
  };

  const render = (): void => {
    renderer.render(scene, camera);
    renders++;
    debug();
  };

  const follow = (): void => {
    const f = frames[step];
    if (mode !== 'follow' || !f) return;
    followOffset.subVectors(camera.position, controls.target);
    if (!following) {
      followOffset.copy(viewDir).multiplyScalar(env.followDistance ?? fitDistance() / 3);
      following = true;
    }
    controls.target.copy(env.focus(f));
    camera.position.copy(controls.target).add(followOffset);
    controls.update();
  };

  controls.addEventListener('change', render);

  const resize = (width: number, height: number): void => {
    if (width <= 0 || height <= 0) return;
    renderer.setSize(width, height, false);
    canvas.style.width = '100%';
    canvas.style.height = '100%';
    camera.aspect = width / height;
    camera.updateProjectionMatrix();
    if (mode === 'orbit') fit();
    else following = false;
    follow();
    render();
  };
  const observer = new ResizeObserver((entries) => {
    const r = entries[0]!.contentRect;
    resize(Math.round(r.width), Math.round(r.height));
  });
  observer.observe(container);
  const rect = container.getBoundingClientRect();
  resize(Math.round(rect.width) || 640, Math.round(rect.height) || 400);

  const controller: SceneController = {
    canvas,
    get step() {
      return step;
    },
    get cameraMode() {
      return mode;
    },
    setEpisode(next: DrawFrame[]) {
      frames = next;
      if (trail) trail.setPoints(frames.map((f) => env.trailPoint(f) ?? new THREE.Vector3()));
      controller.showStep(0);
    },
    showStep(k: number) {
      step = Math.max(0, Math.min(frames.length - 1, Math.round(k)));
      const f = frames[step];
      if (f) env.update(f);
      trail?.showUpTo(step);
      follow();
      render();
    },
    setCamera(next: CameraMode) {
      if (next === mode) return;
      mode = next;
      following = false;
      if (mode === 'orbit') fit();
      follow();
      render();
    },
    render,
    resize,
    dispose() {
      observer.disconnect();
      controls.removeEventListener('change', render);
      controls.dispose();
      env.dispose();
      trail?.dispose();
      scene.traverse((o) => {
        (o as THREE.Mesh).geometry?.dispose();
      });
      renderer.dispose();
      renderer.forceContextLoss(); // free the WebGL context now: browsers cap live contexts
      canvas.remove();
      legend.remove();
      if (window.__labScenes?.[id]?.env === opts.envId) delete window.__labScenes[id];
    },
  };
  return controller;
}
