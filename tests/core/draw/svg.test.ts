// Replay frames as SVG (src-core/draw/svg): marks are placed in the panel with equal scales and y
// up, each environment's frame draws its body where the scene code puts it, and side-by-side panels
// share one world box so the same world point sits at the same place in each panel.
import { describe, expect, it } from 'vitest';
import { drawEpisode, drawScenery } from '../../../src-core/draw/index.ts';
import { marksBox, marksSvg, type Mark } from '../../../src-core/draw/svg/marks.ts';
import { frameMarks } from '../../../src-core/draw/svg/scene-marks.ts';
import { replayFramesSvg } from '../../../src-core/draw/svg/replay-frame.ts';
import type { VehicleFrame } from '../../../src-core/draw/types.ts';
import { makeEnv } from '../../../src-core/envs/registry.ts';
import { Rng } from '../../../src-core/rng.ts';

function episode(env: string, variant: string | undefined, action: number[], steps: number) {
  const e = makeEnv(env, variant);
  e.reset(new Rng(1));
  const states = [...e.getState()];
  const actions: number[] = [];
  for (let k = 0; k < steps; k++) {
    actions.push(...action);
    const r = e.step(action);
    states.push(...e.getState());
    if (r.terminated || r.truncated) break;
  }
  const v = variant ?? e.variant;
  return { scenery: drawScenery(env, v, e.params), frames: drawEpisode(env, v, e.params, states, e.getState().length, actions, action.length) };
}

const circles = (svg: string) => [...svg.matchAll(/<circle cx="([-\d.]+)" cy="([-\d.]+)" r="([-\d.]+)"/g)].map((m) => m.slice(1).map(Number));

describe('marks in a panel', () => {
  it('fits the world box with equal scales, y pointing up', () => {
    const marks: Mark[] = [
      { kind: 'dot', center: [0, 0], px: 2, fill: '#000' },
      { kind: 'dot', center: [2, 1], px: 2, fill: '#000' },
    ];
    const svg = marksSvg(marks, { min: [0, 0], max: [2, 1] }, 10, 20, 200, 200);
    // scale min(200/2, 200/1) = 100; the 200 x 100 drawing is centred vertically (top 70)
    expect(circles(svg)).toEqual([[10, 170, 2], [210, 70, 2]]);
  });

  it('the box of a circle and a thick line includes their extent', () => {
    const b = marksBox([{ kind: 'circle', center: [1, 1], radius: 1, fill: '#000' }, { kind: 'line', points: [[5, 0], [5, 2]], color: '#000', worldWidth: 2 }], 0);
    expect(b).toEqual({ min: [0, -1], max: [6, 3] }); // the line's round caps reach 1 beyond its ends
  });
});

describe('replay frames of real episodes', () => {
  it('vehicle: the car is drawn from the rear axle to the front point of the frame', () => {
    const { scenery, frames } = episode('vehicle', 'dynamic', [0.5, 0.1], 30);
    const f = frames.at(-1) as VehicleFrame;
    const car = frameMarks(scenery, frames, frames.length - 1, '#123456').find((m) => m.kind === 'polygon' && m.fill === '#123456');
    expect(car?.kind).toBe('polygon');
    const pts = car!.kind === 'polygon' ? car!.points : [];
    const mid = (a: number, b: number) => [(pts[a]![0] + pts[b]![0]) / 2, (pts[a]![1] + pts[b]![1]) / 2];
    expect(mid(0, 3)[0]).toBeCloseTo(f.position[0], 9);
    expect(mid(0, 3)[1]).toBeCloseTo(f.position[1], 9);
    expect(mid(1, 2)[0]).toBeCloseTo(f.front[0], 9);
    expect(mid(1, 2)[1]).toBeCloseTo(f.front[1], 9);
  });

  it('every drawable precision task and obstacle2d gives a frame with its path', () => {
    for (const [env, variant, a] of [['vehicle', 'dynamic', [0.3, 0]], ['quadrotor', 'rotors', [2.5, 2.5, 2.5, 2.5]], ['acrobot', undefined, [1]], ['obstacle2d', undefined, [1, 0]], ['toy', undefined, [0]]] as const) {
      const { scenery, frames } = episode(env, variant, [...a], 5);
      const marks = frameMarks(scenery, frames, frames.length - 1, '#abcdef');
      const path = marks.find((m) => m.kind === 'line' && m.color === '#abcdef');
      expect(path && path.kind === 'line' && path.points.length, env).toBe(frames.length);
    }
  });

  it('toy: the node of the shown frame is filled with the run colour, the others are not', () => {
    const { scenery, frames } = episode('toy', undefined, [0.5], 2); // right: s0 -> s2 -> s5
    expect(frames.map((f) => (f.env === 'toy' ? f.stateIndex : -1))).toEqual([0, 2, 5]);
    const filled = frameMarks(scenery, frames, 2, '#ff0000').filter((m) => m.kind === 'circle' && m.fill === '#ff0000');
    expect(filled.map((m) => (m.kind === 'circle' ? m.center : null))).toEqual([[3, -0.5]]);
  });

  it('side-by-side panels share one world box: the same start sits at the same place in each', () => {
    const a = episode('obstacle2d', undefined, [1, 0.2], 10);
    const b = episode('obstacle2d', undefined, [0.2, -1], 10);
    const svg = replayFramesSvg('two runs', [
      { heading: ['run a'], ...a, k: a.frames.length - 1, color: '#111111' },
      { heading: ['run b'], ...b, k: b.frames.length - 1, color: '#222222' },
    ]);
    expect(svg).toMatch(/^<svg xmlns/);
    // the start dot (3 px, grey) of each panel: same y, x one panel width plus gap apart
    const starts = circles(svg).filter((c) => c[2] === 3);
    const [p, q] = [starts[1]!, starts[3]!]; // per panel: goal dot, then start dot
    expect(q[1]).toBe(p[1]);
    expect(q[0]! - p[0]!).toBeCloseTo(460 + 16, 6);
    expect(svg).toContain('run a');
    expect(svg).toContain('x right, y up');
  });
});
