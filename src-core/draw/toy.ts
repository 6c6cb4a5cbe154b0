// Toy (two-step bifurcation): the graph of six states laid out as a tree, the action axis [-1, 1]
// under s0 and s1 drawn to scale, and the good band (-0.1, 0.1) at s1 (spec: environments.md, Toy).
// Layout units: 1 action unit = AXIS_SCALE layout units, so the band is 0.2 * AXIS_SCALE wide.
import type { FrameContext, ToyFrame, ToyNode, ToyScenery, Vec2 } from './types.ts';

const AXIS_SCALE = 2;
const BAND = { low: -0.1, high: 0.1 };

const NODES: ToyNode[] = [
  { index: 0, position: [0, 4], label: 's0', terminal: false },
  { index: 1, position: [-3, 2], label: 's1', terminal: false },
  { index: 2, position: [3, 2], label: 's2', terminal: false },
  { index: 3, position: [-4.5, 0], label: 's3  +1', reward: 1, terminal: true },
  { index: 4, position: [-1.5, 0], label: 's4  -20', reward: -20, terminal: true },
  { index: 5, position: [3, 0], label: 's5  -1', reward: -1, terminal: true },
];

export function toyScenery(): ToyScenery {
  return {
    env: 'toy',
    nodes: NODES.map((n) => ({ ...n, position: [...n.position] as Vec2 })),
    axisScale: AXIS_SCALE,
    band: { ...BAND },
    edges: [
      { from: 0, to: 1, label: 'a <= 0' },
      { from: 0, to: 2, label: 'a > 0' },
      { from: 1, to: 3, label: '-0.1 < a < 0.1' },
      { from: 1, to: 4, label: 'otherwise' },
      { from: 2, to: 5, label: 'any a' },
    ],
  };
}

/** Where action `a` sits on the axis drawn under a node (the axis spans [-1, 1] around the node, 0.6 below it). */
export function toyAxisPoint(nodeIndex: number, a: number): Vec2 {
  const n = NODES[nodeIndex]!;
  return [n.position[0] + a * AXIS_SCALE, n.position[1] - 0.6];
}

export function toyFrame(state: ArrayLike<number>, ctx: FrameContext): ToyFrame {
  const stateIndex = Math.round(state[0]!);
  const node = NODES[stateIndex];
  if (!node) throw new Error(`toy: state index ${state[0]} is not in 0..5`);
  const frame: ToyFrame = { env: 'toy', step: ctx.step, stateIndex, position: [...node.position] as Vec2 };
  const a = ctx.action?.[0];
  if (a !== undefined && !node.terminal) frame.actionMark = { action: a, position: toyAxisPoint(stateIndex, a) };
  return frame;
}
