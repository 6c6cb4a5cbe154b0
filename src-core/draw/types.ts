// What a scene draws, as plain numbers in world units (metres and radians unless a field says
// otherwise). World frame: x, y horizontal, z up (right-handed). Planar environments lie in the
// x-y plane (vehicle, obstacle2d) or the x-z plane (acrobot, pendulum: z up, gravity along -z).
// `Scenery` never changes during an episode; a `DrawFrame` is one step of an episode.

export type Vec2 = [number, number];
export type Vec3 = [number, number, number];

/** Per-step context a frame needs besides the full state: the step index and the action taken at it. */
export interface FrameContext {
  /** Steps taken so far in the episode (0 at reset). */
  step: number;
  /** The action applied from this state (environment units), when known; absent at the last state. */
  action?: ArrayLike<number>;
}

// ---------------------------------------------------------------- toy (units: action units)
export interface ToyNode {
  index: number; // 0..5
  position: Vec2; // layout position of the node
  label: string; // e.g. "s3  +1"
  reward?: number; // reward received on arrival (terminal nodes)
  terminal: boolean;
}
export interface ToyScenery {
  env: 'toy';
  nodes: ToyNode[];
  /** The action axis [-1, 1] drawn under s0 and s1, in layout units, to scale (1 action unit = `axisScale`). */
  axisScale: number;
  /** Good band at s1: actions in the open interval (low, high) reach s3 (+1). */
  band: { low: number; high: number };
  edges: { from: number; to: number; label: string }[];
}
export interface ToyFrame {
  env: 'toy';
  step: number;
  stateIndex: number;
  /** Where the current node is drawn. */
  position: Vec2;
  /** The action taken from this state, marked on the node's action axis (layout units), when known. */
  actionMark?: { action: number; position: Vec2 };
}

// ---------------------------------------------------------------- vehicle (x-y plane)
export interface VehicleScenery {
  env: 'vehicle';
  /** Spline course sampled every 0.1 of s, samples 80-299 (spec). */
  course: Vec2[];
  /** Radius-10 reference circle centred at the origin. */
  circle: { center: Vec2; radius: number; points: Vec2[] };
  /** All 110 precomputed target positions. */
  targets: Vec2[];
  wheelbase: number;
  trackWidth: number; // drawing only
  wheelRadius: number; // drawing only
}
export interface WheelDraw {
  position: Vec2;
  /** World heading of the wheel plane (vehicle heading + steering for front wheels). */
  heading: number;
}
export interface VehicleFrame {
  env: 'vehicle';
  step: number;
  /** Reference point (x, y) of the state: the rear axle, since the front point is (x, y) + L (cos psi, sin psi). */
  position: Vec2;
  heading: number; // psi
  front: Vec2; // front point used by the observation
  /** Road-wheel steering angle delta from the clipped action (0 when no action). */
  steer: number;
  throttle: number;
  speed: number; // vx for dynamic, v for kinematic
  wheels: WheelDraw[]; // front-left, front-right, rear-left, rear-right
  target: Vec2;
  targetIndex: number;
  /** Distance from the reference point to the target, and |x^2 + y^2 - 100|: the two reward terms' bases. */
  targetDistance: number;
  circleError: number;
}

// ---------------------------------------------------------------- quadrotor (z up)
export interface QuadrotorScenery {
  env: 'quadrotor';
  armLength: number;
  /** Desired line x = 1.5 t for t in [0, horizon], as its two end points. */
  desiredLine: [Vec3, Vec3];
  horizon: number; // s
  dt: number;
  /** Range of rotor speeds used for the colour scale. */
  rotorSpeedRange: [number, number];
  hoverSpeed: number;
}
export interface RotorDraw {
  index: number; // 1..4 as in the spec's u2, u3, u4
  position: Vec3;
  /** Rotor speed (rad/s-like units of the action); for the simplified variant the equivalent speed. */
  speed: number;
  /** Spin sense as implied by u4: +1 for rotors 1 and 3, -1 for 2 and 4. */
  spin: 1 | -1;
}
export interface QuadrotorFrame {
  env: 'quadrotor';
  step: number;
  time: number; // s
  position: Vec3;
  /** Body-to-world rotation matrix, row-major 3x3 (Z-Y-X Euler: yaw psi, pitch theta, roll phi). */
  rotation: number[];
  euler: Vec3; // [phi, theta, psi]
  rotors: RotorDraw[];
  /** Desired point at t = step dt. */
  desired: Vec3;
  /** Desired point the reward of the last step used: t = (step - desiredLag) dt, lag 1 by default (spec quirk); at reset t = 0. */
  rewardDesired: Vec3;
  /** Thrust u1 (N) and moments u2, u3, u4 from the action, when known. */
  thrust?: number;
}

// ---------------------------------------------------------------- acrobot (x-z plane)
export interface AcrobotScenery {
  env: 'acrobot';
  l1: number;
  l2: number;
  /** The upright target: tip at (0, l1 + l2). */
  uprightTip: Vec2;
}
export interface AcrobotFrame {
  env: 'acrobot';
  step: number;
  base: Vec2; // (x, z)
  elbow: Vec2;
  tip: Vec2;
  th1: number;
  th2: number;
  torque: number;
}

// ---------------------------------------------------------------- obstacle2d (x-y plane)
export interface Obstacle2dScenery {
  env: 'obstacle2d';
  wall: { xMin: number; xMax: number; yMin: number; yMax: number };
  goal: Vec2;
  goalRadius: number;
  goalReward: number;
  wallReward: number;
  start: Vec2;
}
export interface Obstacle2dFrame {
  env: 'obstacle2d';
  step: number;
  position: Vec2;
  /** The velocity action (clipped to +-3), i.e. the next move, when known. */
  move?: Vec2;
  goalDistance: number;
}

// ---------------------------------------------------------------- pendulum (x-z plane)
export interface PendulumScenery {
  env: 'pendulum';
  length: number;
  maxTorque: number;
}
export interface PendulumFrame {
  env: 'pendulum';
  step: number;
  pivot: Vec2;
  tip: Vec2; // (-l sin theta, l cos theta): theta = 0 upright, counter-clockwise positive
  theta: number;
  thetaDot: number;
  torque: number;
}

// ---------------------------------------------------------------- MuJoCo models (z up), any MJCF
/** Environments drawn from their MuJoCo model's geoms and body poses (src-core/draw/mjcf.ts). */
export type MjcfEnvId = 'hopper' | 'opencat';
export interface MjcfGeomShape {
  name: string;
  /** MuJoCo geom type; planes are the ground (drawn by the scene's grid). */
  type: 'plane' | 'sphere' | 'capsule' | 'cylinder' | 'box';
  /** MuJoCo's size: sphere [r]; capsule and cylinder [r, half length] along the geom's z; box half sizes. */
  size: number[];
  rgba: [number, number, number, number];
}
export interface MjcfScenery {
  env: MjcfEnvId;
  geoms: MjcfGeomShape[];
  /** How the scene is framed: the plane of its axes, the region of interest on it, the camera. */
  view: { plane: 'xy' | 'xz'; extent: { min: Vec2; max: Vec2 }; viewDir: Vec3; followDistance: number };
}
export interface MjcfFrame {
  env: MjcfEnvId;
  step: number;
  /** World pose of every geom (same order as the scenery's): position and quaternion (w, x, y, z). */
  geoms: { pos: Vec3; quat: [number, number, number, number] }[];
  /** Position of the root body (the torso or base): the follow camera's target and the trail. */
  root: Vec3;
  /** The action applied from this state (environment units), when known. */
  action?: number[];
}

export type Scenery = ToyScenery | VehicleScenery | QuadrotorScenery | AcrobotScenery | Obstacle2dScenery | PendulumScenery | MjcfScenery;
export type DrawFrame = ToyFrame | VehicleFrame | QuadrotorFrame | AcrobotFrame | Obstacle2dFrame | PendulumFrame | MjcfFrame;
export type DrawEnvId = DrawFrame['env'];
