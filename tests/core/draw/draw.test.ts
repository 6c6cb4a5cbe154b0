// Draw-state functions on known states: poses, rotor positions, link ends, wall and goal, toy layout.
import { describe, expect, it } from 'vitest';
import { COURSE_LENGTH, courseHeading, coursePoint, courseSamples, targetPositions } from '../../../src-core/draw/course.ts';
import { drawEpisode, drawFrame, drawScenery } from '../../../src-core/draw/index.ts';
import type { AcrobotFrame, Obstacle2dScenery, PendulumFrame, QuadrotorFrame, ToyFrame, ToyScenery, VehicleFrame, VehicleScenery } from '../../../src-core/draw/types.ts';

const close = (a: number, b: number, tol = 1e-5): void => expect(Math.abs(a - b)).toBeLessThan(tol);

describe('vehicle course and pose', () => {
  it('spline has the spec total chord length and initial pose at s = 9', () => {
    close(COURSE_LENGTH, 61.229, 1e-3);
    const [x, y] = coursePoint(9);
    close(x, -1.32945);
    close(y, -9.9461);
    close(courseHeading(9), 3.0173);
  });

  it('course keeps samples 80..299 of a 0.1 grid in s and passes through the knots', () => {
    const c = courseSamples();
    expect(c).toHaveLength(220);
    const [x8, y8] = coursePoint(8);
    expect(c[0]).toEqual([x8, y8]);
    // s = 2 * 10 * sin(pi/8) is the second knot, (0, -10).
    const knot = coursePoint(20 * Math.sin(Math.PI / 8));
    close(knot[0], 0, 1e-9);
    close(knot[1], -10, 1e-9);
  });

  it('target positions: 110, the first at s = 13, the second at s = 13.1', () => {
    const t = targetPositions();
    expect(t).toHaveLength(110);
    expect(t[0]).toEqual(coursePoint(13));
    expect(t[1]).toEqual(coursePoint(13.1));
    // s_2 = 13.1 + min(6, 1 + 0.1 * 0.1) * 0.1 = 13.201
    const p2 = coursePoint(13.201);
    close(t[2]![0], p2[0], 1e-12);
  });

  it('initial state draws the reset observation: target minus front point', () => {
    const f = drawFrame('vehicle', 'dynamic', {}, [-1.32945, -9.9461, 3.0173, 3, 0, -1], { step: 0 }) as VehicleFrame;
    close(f.target[0] - f.front[0], -0.96948, 1e-4);
    close(f.target[1] - f.front[1], 1.02589, 1e-4);
    close(f.heading, 3.0173);
    expect(f.targetIndex).toBe(0);
    expect(f.steer).toBe(0);
  });

  it('front wheels turn with the clipped steering action; target index stops at 109', () => {
    const f = drawFrame('vehicle', 'kinematic', {}, [0, 0, 0, 3], { step: 150, action: [0.5, 2] }) as VehicleFrame;
    expect(f.steer).toBe(1);
    close(f.wheels[0]!.heading, 1);
    close(f.wheels[2]!.heading, 0);
    expect(f.wheels[0]!.position).toEqual([2.9, 0.8]);
    expect(f.wheels[3]!.position).toEqual([0, -0.8]);
    expect(f.targetIndex).toBe(109);
    close(f.circleError, 100);
    const scenery = drawScenery('vehicle', 'dynamic') as VehicleScenery;
    expect(f.target).toEqual(scenery.targets[109]);
  });
});

describe('quadrotor', () => {
  it('rotor positions at zero attitude: 1 on +y, 2 on -x, 3 on -y, 4 on +x', () => {
    const s = [1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    const f = drawFrame('quadrotor', 'rotors', {}, s, { step: 0, action: [1, 2, 3, 11] }) as QuadrotorFrame;
    expect(f.rotors.map((r) => r.position)).toEqual([
      [1, 2.23, 3],
      [0.77, 2, 3],
      [1, 1.77, 3],
      [1.23, 2, 3],
    ]);
    expect(f.rotors.map((r) => r.speed)).toEqual([1, 2, 3, 10]);
  });

  it('rotor positions at roll 0.3 and pitch 0.2', () => {
    const phi = 0.3;
    const theta = 0.2;
    const f = drawFrame('quadrotor', 'rotors', {}, [0, 0, 0, 0, 0, 0, phi, theta, 0, 0, 0, 0], { step: 5 }) as QuadrotorFrame;
    const l = 0.23;
    // Rotor 1 at body (0, l, 0): R col 2 = (sin theta sin phi, cos phi, cos theta sin phi).
    const r1 = f.rotors[0]!.position;
    close(r1[0], l * Math.sin(theta) * Math.sin(phi), 1e-12);
    close(r1[1], l * Math.cos(phi), 1e-12);
    close(r1[2], l * Math.cos(theta) * Math.sin(phi), 1e-12);
    // Rotor 4 at body (l, 0, 0): R col 1 = (cos theta, 0, -sin theta): positive pitch lowers the +x rotor.
    const r4 = f.rotors[3]!.position;
    close(r4[0], l * Math.cos(theta), 1e-12);
    close(r4[1], 0, 1e-12);
    close(r4[2], -l * Math.sin(theta), 1e-12);
    // Thrust axis (R col 3) tilts toward +x for positive pitch, as the spec's a_x = cos phi sin theta u1 / m.
    close(f.rotation[2]!, Math.cos(phi) * Math.sin(theta), 1e-12);
    close(f.time, 0.5, 1e-12);
    close(f.desired[0], 0.75, 1e-12);
    close(f.rewardDesired[0], 0.6, 1e-12);
  });

  it('arm length, hover speed and the desired lag come from the parameters', () => {
    const params = { armLength: 0.5, desiredLag: 0, kt: 0.5 };
    const f = drawFrame('quadrotor', 'rotors', params, new Array(12).fill(0), { step: 4 }) as QuadrotorFrame;
    expect(f.rotors[0]!.position).toEqual([0, 0.5, 0]);
    expect(f.rewardDesired).toEqual(f.desired);
    const s = drawScenery('quadrotor', 'rotors', params) as { hoverSpeed: number };
    close(s.hoverSpeed, Math.sqrt((0.65 * 9.81) / (4 * 0.5)), 1e-12);
  });

  it('simplified variant shows the rotor speeds equivalent to hover thrust', () => {
    // a0 = 0 gives u1 = m g = 6.3765 N; no moments: every rotor at sqrt(m g / (4 kt)) = 2.2568 (hover).
    const f = drawFrame('quadrotor', 'simplified', {}, new Array(12).fill(0), { step: 0, action: [0, 0, 0, 0] }) as QuadrotorFrame;
    for (const r of f.rotors) close(r.speed, 2.256779, 1e-5);
    close(f.thrust!, 0.65 * 9.81, 1e-12);
  });
});

describe('acrobot and pendulum', () => {
  it('acrobot upright: elbow (0, 1), tip (0, 2)', () => {
    const f = drawFrame('acrobot', '', {}, [Math.PI / 2, 0, 0, 0], { step: 0 }) as AcrobotFrame;
    close(f.elbow[0], 0, 1e-12);
    close(f.elbow[1], 1, 1e-12);
    close(f.tip[0], 0, 1e-12);
    close(f.tip[1], 2, 1e-12);
  });

  it('acrobot at th1 = 0, th2 = pi/2: elbow (1, 0), tip (1, 1); torque clipped to 20', () => {
    const f = drawFrame('acrobot', '', {}, [0, Math.PI / 2, 0, 0], { step: 3, action: [50] }) as AcrobotFrame;
    close(f.elbow[0], 1, 1e-12);
    close(f.elbow[1], 0, 1e-12);
    close(f.tip[0], 1, 1e-12);
    close(f.tip[1], 1, 1e-12);
    expect(f.torque).toBe(20);
  });

  it('pendulum tip: upright at theta 0, left at theta pi/2, down at pi', () => {
    const at = (th: number): PendulumFrame => drawFrame('pendulum', '', {}, [th, 0], { step: 0 }) as PendulumFrame;
    close(at(0).tip[1], 1, 1e-12);
    close(at(Math.PI / 2).tip[0], -1, 1e-12);
    close(at(Math.PI).tip[1], -1, 1e-12);
  });
});

describe('obstacle2d and toy', () => {
  it('obstacle2d wall and goal as in the spec; next move clipped to 3', () => {
    const s = drawScenery('obstacle2d', '') as Obstacle2dScenery;
    expect(s.wall).toEqual({ xMin: 2, xMax: 2.05, yMin: -2, yMax: 2 });
    expect(s.goal).toEqual([3, 0]);
    expect(s.goalRadius).toBe(0.1);
    const f = drawFrame('obstacle2d', '', {}, [0, 0], { step: 0, action: [2.5, 7] });
    expect(f).toMatchObject({ position: [0, 0], move: [2.5, 3], goalDistance: 3 });
  });

  it('toy: band is 0.2 action units wide at scale; nodes carry the spec rewards', () => {
    const s = drawScenery('toy', '') as ToyScenery;
    expect(s.band).toEqual({ low: -0.1, high: 0.1 });
    expect(s.nodes.filter((n) => n.terminal).map((n) => n.reward)).toEqual([1, -20, -1]);
    const f = drawFrame('toy', '', {}, [1], { step: 1, action: [0.05] }) as ToyFrame;
    expect(f.stateIndex).toBe(1);
    const s1 = s.nodes[1]!.position;
    close(f.actionMark!.position[0] - s1[0], 0.05 * s.axisScale, 1e-12);
    expect(() => drawFrame('toy', '', {}, [7], { step: 0 })).toThrow(/state index 7/);
  });

  it('drawEpisode gives T + 1 frames with the action taken at each state', () => {
    const frames = drawEpisode('obstacle2d', '', {}, [0, 0, 1, 1, 2, 1], 2, [1, 1, 1, 0], 2);
    expect(frames).toHaveLength(3);
    expect(frames.map((f) => f.step)).toEqual([0, 1, 2]);
    expect((frames[1] as { move?: number[] }).move).toEqual([1, 0]);
    expect((frames[2] as { move?: number[] }).move).toBeUndefined();
    expect(() => drawFrame('cartpole', '', {}, [], { step: 0 })).toThrow(/no scene for environment 'cartpole'/);
  });
});
