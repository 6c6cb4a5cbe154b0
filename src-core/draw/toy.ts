// Toy (two-step bifurcation): the graph of six states laid out as a tree, the action axis [-1, 1]
// under s0 and s1 drawn to scale, and the good band (-0.1, 0.1) at s1 (spec: environments.md, Toy).
// Layout units: 1 action unit = AXIS_SCALE layout units, so the band is 0.2 * AXIS_SCALE wide.
// Band half-width and rewards are the environment's parameters (defaults 0.1, +1, -20, -1).
import type { FrameContext, ToyFrame, ToyNode, ToyScenery, Vec2 } from './types.ts';

const AXIS_SCALE = 2;

const NODES: ToyNode[] = [
  { index: 0, position: [0, 4], label: 's0', terminal: false },
  { index: 1, position: [-3, 2], label: 's1', terminal: false },
  { index: 2, position: [3, 2], label: 's2', terminal: false },
  { index: 3, position: [-4.5, -0.5], label: 's3  +1', reward: 1, terminal: true },
  { index: 4, position: [-1.5, -0.5], label: 's4  -20', reward: -20, terminal: true },
  { index: 5, position: [3, -0.5], label: 's5  -1', reward: -1, terminal: true },
];

export function toyScenery(params: Readonly<Record<string, number>> = {}): ToyScenery {
  const half = params.bandHalfWidth ?? 0.1;
  const rewards: Record<number, number> = { 3: params.rewardGood ?? 1, 4: params.rewardFail ?? -20, 5: params.rewardSafe ?? -1 };
  const nodes = NODES.map((n) => {
    const node: ToyNode = { ...n, position: [...n.position] as Vec2 };
    const r = rewards[n.index];
    if (r !== undefined) {
      node.reward = r;
      node.label = `s${n.index}  ${r > 0 ? '+' : ''}${r}`;
    }
    return node;
  });
  return {
    env: 'toy',
    nodes,
    axisScale: AXIS_SCALE,
    band: { low: -half, high: half },
    edges: [
      { from: 0, to: 1, label: 'a <= 0' },
      { from: 0, to: 2, label: 'a > 0' },
      { from: 1, to: 3, label: `-${half} < a < ${half}` },
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
