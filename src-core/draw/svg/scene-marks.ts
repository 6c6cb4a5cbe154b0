// One frame of a replay as 2-D marks, from the lab's drawing code (src-core/draw): the scenery, the
// path the episode took up to the frame, and the body at the frame. Planar scenes keep their plane
// (vehicle, obstacle2d: x-y; acrobot, pendulum: x-z); the quadrotor is seen from the side (x-z, the
// plane of its desired line x = 1.5 t); MuJoCo models on their view's plane, capsules and cylinders
// as thick segments, boxes as the outline of their projected corners, spheres as discs.
import { rotate } from '../mjcf.ts';
import { framePosition } from '../divergence.ts';
import type { DrawFrame, MjcfFrame, MjcfScenery, QuadrotorFrame, QuadrotorScenery, Scenery, ToyFrame, ToyScenery, Vec2, Vec3 } from '../types.ts';
import type { Mark } from './marks.ts';

const GREY = '#999';
const DARK = '#333';

/** Where the path of a frame is drawn, in the panel's plane (planar frames are already in it). */
function pathPoint(f: DrawFrame, plane: 'xy' | 'xz'): Vec2 {
  if (f.env === 'toy') return f.position;
  const p = framePosition(f);
  return p.length === 3 && plane === 'xz' ? [p[0]!, p[2]!] : [p[0]!, p[1]!];
}

function toyMarks(sc: ToyScenery, frames: readonly ToyFrame[], k: number, color: string): Mark[] {
  const at = (i: number) => sc.nodes.find((n) => n.index === i)!.position;
  const out: Mark[] = sc.edges.map((e) => ({ kind: 'line', points: [at(e.from), at(e.to)], color: '#bbb', width: 1 }));
  for (const node of sc.nodes) {
    if (!node.terminal) {
      const y = node.position[1] - 0.6;
      out.push({ kind: 'line', points: [[node.position[0] - sc.axisScale, y], [node.position[0] + sc.axisScale, y]], color: GREY, width: 1 });
      if (node.index === 1) out.push({ kind: 'line', points: [[node.position[0] + sc.band.low * sc.axisScale, y], [node.position[0] + sc.band.high * sc.axisScale, y]], color: '#2a7a2a', width: 4 });
    }
  }
  out.push({ kind: 'line', points: frames.slice(0, k + 1).map((f) => f.position), color, width: 3, opacity: 0.8 });
  for (const node of sc.nodes) {
    const here = frames[k]!.stateIndex === node.index;
    out.push({ kind: 'circle', center: node.position, radius: 0.35, fill: here ? color : '#fff', stroke: DARK });
    out.push({ kind: 'label', at: [node.position[0] + 0.45, node.position[1] + 0.1], text: node.label });
  }
  for (const f of frames.slice(0, k + 1)) if (f.actionMark) out.push({ kind: 'dot', center: f.actionMark.position, px: 4, fill: color, stroke: DARK });
  return out;
}

const project = (p: Vec3, plane: 'xy' | 'xz'): Vec2 => (plane === 'xz' ? [p[0], p[2]] : [p[0], p[1]]);

function quadrotorMarks(sc: QuadrotorScenery, f: QuadrotorFrame): Parts {
  const fixed: Mark[] = [
    { kind: 'line', points: sc.desiredLine.map((p) => project(p, 'xz')), color: '#2a7a2a', width: 1.5, dash: true },
    { kind: 'dot', center: project(f.desired, 'xz'), px: 4, fill: '#2a7a2a' },
  ];
  const [r1, r2, r3, r4] = f.rotors.map((r) => project(r.position, 'xz')) as [Vec2, Vec2, Vec2, Vec2];
  const body: Mark[] = [{ kind: 'line', points: [r1, r3], color: DARK, width: 3 }, { kind: 'line', points: [r2, r4], color: DARK, width: 3 }];
  for (const r of f.rotors) body.push({ kind: 'circle', center: project(r.position, 'xz'), radius: sc.armLength * 0.35, fill: '#e8e8e8', stroke: DARK, opacity: 0.9 });
  return { fixed, body };
}

/** Indices of the convex hull of 2-D points (monotone chain). */
function hull(ps: Vec2[]): Vec2[] {
  const s = [...ps].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const cross = (o: Vec2, a: Vec2, b: Vec2) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const half = (list: Vec2[]) => {
    const h: Vec2[] = [];
    for (const p of list) {
      while (h.length >= 2 && cross(h[h.length - 2]!, h[h.length - 1]!, p) <= 0) h.pop();
      h.push(p);
    }
    h.pop();
    return h;
  };
  return [...half(s), ...half([...s].reverse())];
}

const rgb = (c: readonly number[]) => `rgb(${c.slice(0, 3).map((v) => Math.round(255 * v)).join(',')})`;

/** `path`: where the episode went (the floor, seen from the side, reaches under all of it). */
function mjcfMarks(sc: MjcfScenery, f: MjcfFrame, path: readonly Vec2[]): Parts {
  const plane = sc.view.plane;
  const fixed: Mark[] = [];
  const out: Mark[] = [];
  if (plane === 'xz') {
    const xs = path.map((p) => p[0]);
    const from = Math.min(sc.view.extent.min[0], ...xs.map((x) => x - 1));
    const to = Math.max(sc.view.extent.max[0], ...xs.map((x) => x + 1));
    fixed.push({ kind: 'line', points: [[from, 0], [to, 0]], color: GREY, width: 1 });
  }
  sc.geoms.forEach((g, i) => {
    const pose = f.geoms[i]!;
    const fill = rgb(g.rgba);
    if (g.type === 'plane') return;
    if (g.type === 'sphere') return void out.push({ kind: 'circle', center: project(pose.pos, plane), radius: g.size[0]!, fill });
    if (g.type === 'capsule' || g.type === 'cylinder') {
      const a = rotate(pose.quat, [0, 0, g.size[1] ?? 0]);
      const ends: Vec3[] = [[pose.pos[0] - a[0], pose.pos[1] - a[1], pose.pos[2] - a[2]], [pose.pos[0] + a[0], pose.pos[1] + a[1], pose.pos[2] + a[2]]];
      return void out.push({ kind: 'line', points: ends.map((p) => project(p, plane)), color: fill, worldWidth: 2 * g.size[0]!, opacity: g.rgba[3] });
    }
    const corners: Vec2[] = [];
    for (const sx of [-1, 1]) for (const sy of [-1, 1]) for (const sz of [-1, 1]) {
      const c = rotate(pose.quat, [sx * g.size[0]!, sy * g.size[1]!, sz * g.size[2]!]);
      corners.push(project([pose.pos[0] + c[0], pose.pos[1] + c[1], pose.pos[2] + c[2]], plane));
    }
    out.push({ kind: 'polygon', points: hull(corners), fill, stroke: DARK, opacity: g.rgba[3] });
  });
  return { fixed, body: out };
}

/** What does not move (drawn under the path) and the body at the frame (over it). */
interface Parts {
  fixed: Mark[];
  body: Mark[];
}

/** The body at one frame, and everything fixed around it, for every drawable environment but the toy. */
function bodyMarks(sc: Scenery, f: DrawFrame, color: string, path: readonly Vec2[]): Parts {
  if (sc.env === 'vehicle' && f.env === 'vehicle') {
    const c = Math.cos(f.heading);
    const s = Math.sin(f.heading);
    const hw = sc.trackWidth / 2;
    const [x, y] = f.position;
    const rear: Vec2[] = [[x + s * hw, y - c * hw], [x - s * hw, y + c * hw]];
    const body: Vec2[] = [rear[0]!, [f.front[0] + s * hw, f.front[1] - c * hw], [f.front[0] - s * hw, f.front[1] + c * hw], rear[1]!];
    return {
      fixed: [
        { kind: 'line', points: sc.course, color: GREY, width: 1 },
        { kind: 'line', points: sc.circle.points, color: '#2a7a2a', width: 1, dash: true },
      ],
      body: [
        { kind: 'polygon', points: body, fill: color, stroke: DARK, opacity: 0.85 },
        { kind: 'dot', center: f.target, px: 5, fill: '#c62828' },
      ],
    };
  }
  if (sc.env === 'quadrotor' && f.env === 'quadrotor') return quadrotorMarks(sc, f);
  if (sc.env === 'acrobot' && f.env === 'acrobot') {
    return {
      fixed: [{ kind: 'circle', center: sc.uprightTip, radius: 0.12, fill: 'none', stroke: '#2a7a2a' }],
      body: [{ kind: 'line', points: [f.base, f.elbow, f.tip], color: DARK, width: 5 }, { kind: 'dot', center: f.base, px: 4, fill: DARK }],
    };
  }
  if (sc.env === 'obstacle2d' && f.env === 'obstacle2d') {
    const w = sc.wall;
    return {
      fixed: [
        { kind: 'polygon', points: [[w.xMin, w.yMin], [w.xMax, w.yMin], [w.xMax, w.yMax], [w.xMin, w.yMax]], fill: '#777' },
        { kind: 'circle', center: sc.goal, radius: sc.goalRadius, fill: '#2a7a2a' },
        { kind: 'dot', center: sc.goal, px: 3, fill: '#2a7a2a' },
        { kind: 'label', at: [sc.goal[0] + sc.goalRadius + 0.05, sc.goal[1]], text: `goal ${sc.goalReward}` },
        { kind: 'dot', center: sc.start, px: 3, fill: GREY },
      ],
      body: [{ kind: 'dot', center: f.position, px: 5, fill: color, stroke: DARK }],
    };
  }
  if (sc.env === 'pendulum' && f.env === 'pendulum') return { fixed: [], body: [{ kind: 'line', points: [f.pivot, f.tip], color: DARK, width: 5 }, { kind: 'dot', center: f.pivot, px: 4, fill: DARK }] };
  if ((sc.env === 'hopper' || sc.env === 'opencat') && (f.env === 'hopper' || f.env === 'opencat')) return mjcfMarks(sc, f, path);
  throw new Error(`draw: frame of '${f.env}' does not match the scenery of '${sc.env}'`);
}

/** The plane a scene is drawn on (the toy's layout counts as x-y). */
export function scenePlane(sc: Scenery): 'xy' | 'xz' {
  if (sc.env === 'hopper' || sc.env === 'opencat') return sc.view.plane;
  return sc.env === 'quadrotor' || sc.env === 'acrobot' || sc.env === 'pendulum' ? 'xz' : 'xy';
}

/** Frame `k` of an episode: the scenery, the path up to it in `color`, and the body at it. */
export function frameMarks(sc: Scenery, frames: readonly DrawFrame[], k: number, color: string): Mark[] {
  const f = frames[k];
  if (!f) throw new Error(`draw: frame ${k} of an episode of ${frames.length} frames`);
  if (sc.env === 'toy') return toyMarks(sc, frames as readonly ToyFrame[], k, color);
  const plane = scenePlane(sc);
  const points = frames.slice(0, k + 1).map((x) => pathPoint(x, plane));
  const path: Mark = { kind: 'line', points, color, width: 1.5, opacity: 0.7 };
  const { fixed, body } = bodyMarks(sc, f, color, points);
  return [...fixed, path, ...body];
}
