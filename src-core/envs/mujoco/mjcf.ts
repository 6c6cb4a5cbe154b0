// A MuJoCo model as a small typed tree (bodies, joints, geoms) that is both serialised to MJCF
// text for the engine (toMjcf) and read by the 3D scenes (kinematicTree): one description, so
// the drawing cannot drift from the physics. Covers what this project's models use: hinge, slide
// and free joints; plane, sphere, capsule, cylinder and box geoms; capsules may use `fromto`.
// Everything physical besides geometry (defaults, options, actuators) is raw MJCF in `head`/`tail`.

export type V3 = [number, number, number];
/** Quaternion (w, x, y, z), MuJoCo's order. */
export type Quat = [number, number, number, number];

export interface MjcfGeom {
  name: string;
  type: 'plane' | 'sphere' | 'capsule' | 'cylinder' | 'box';
  /** MuJoCo's size: sphere [r]; capsule/cylinder [r] with fromto or [r, half length]; box half sizes; plane [hx, hy, spacing]. */
  size: number[];
  pos?: V3;
  quat?: Quat;
  /** Segment end points (capsule, cylinder) in the body frame. */
  fromto?: [number, number, number, number, number, number];
  rgba: [number, number, number, number];
  /** Further MJCF attributes (mass, friction, contype ...), written as given. */
  attrs?: string;
}

export interface MjcfJoint {
  name: string;
  type: 'hinge' | 'slide' | 'free';
  axis?: V3;
  pos?: V3;
  /** Reference position (qpos0) in radians or metres. */
  ref?: number;
  attrs?: string;
}

export interface MjcfBody {
  name: string;
  pos: V3;
  quat?: Quat;
  joints: MjcfJoint[];
  geoms: MjcfGeom[];
  children: MjcfBody[];
  attrs?: string;
}

export interface MjcfModel {
  name: string;
  /** MJCF elements before <worldbody> (compiler, option, default). Angles in radians. */
  head: string;
  worldGeoms: MjcfGeom[];
  bodies: MjcfBody[];
  /** MJCF elements after </worldbody> (actuator, contact, sensor). */
  tail: string;
}

const num = (xs: readonly number[]): string => xs.map((x) => String(x)).join(' ');

function geomXml(g: MjcfGeom): string {
  const place = g.fromto ? ` fromto="${num(g.fromto)}"` : `${g.pos ? ` pos="${num(g.pos)}"` : ''}${g.quat ? ` quat="${num(g.quat)}"` : ''}`;
  return `<geom name="${g.name}" type="${g.type}" size="${num(g.size)}"${place} rgba="${num(g.rgba)}"${g.attrs ? ` ${g.attrs}` : ''}/>`;
}

function jointXml(j: MjcfJoint): string {
  if (j.type === 'free') return `<freejoint name="${j.name}"/>`;
  const axis = j.axis ? ` axis="${num(j.axis)}"` : '';
  const pos = j.pos ? ` pos="${num(j.pos)}"` : '';
  const ref = j.ref !== undefined ? ` ref="${j.ref}"` : '';
  return `<joint name="${j.name}" type="${j.type}"${axis}${pos}${ref}${j.attrs ? ` ${j.attrs}` : ''}/>`;
}

function bodyXml(b: MjcfBody): string {
  const quat = b.quat ? ` quat="${num(b.quat)}"` : '';
  const inner = [...b.joints.map(jointXml), ...b.geoms.map(geomXml), ...b.children.map(bodyXml)].join('');
  return `<body name="${b.name}" pos="${num(b.pos)}"${quat}${b.attrs ? ` ${b.attrs}` : ''}>${inner}</body>`;
}

/** The model as MJCF text (radians: the head must say <compiler angle="radian"/>). */
export function toMjcf(m: MjcfModel): string {
  return `<mujoco model="${m.name}">${m.head}<worldbody>${m.worldGeoms.map(geomXml).join('')}${m.bodies.map(bodyXml).join('')}</worldbody>${m.tail}</mujoco>`;
}

// ------------------------------------------------------------ the kinematic tree for drawing

/** A joint as forward kinematics needs it. */
export interface KinJoint {
  type: 'hinge' | 'slide' | 'free';
  axis: V3;
  pos: V3;
  /** First qpos index of the joint. */
  qposadr: number;
  /** qpos0 of a hinge or slide joint (its reference position). */
  ref: number;
}

/** A body in depth-first order (MuJoCo's body numbering minus the world body, which is -1). */
export interface KinBody {
  name: string;
  parent: number; // index into bodies, or -1 for the world
  pos: V3;
  quat: Quat;
  joints: KinJoint[];
}

/** A geom in its body's frame, with the size and pose MuJoCo compiles `fromto` into. */
export interface KinGeom {
  name: string;
  body: number; // -1: a world geom
  type: MjcfGeom['type'];
  size: number[];
  pos: V3;
  quat: Quat;
  rgba: [number, number, number, number];
}

export interface KinematicTree {
  nq: number;
  bodies: KinBody[];
  geoms: KinGeom[];
}

/** MuJoCo's mju_quatZ2Vec: the minimal rotation taking +z to `v`. */
export function quatZToVec(v: V3): Quat {
  const n = Math.hypot(v[0], v[1], v[2]);
  const x = v[0] / n, y = v[1] / n, z = v[2] / n;
  // axis = z_hat x v = (-y, x, 0)
  const ax = -y, ay = x;
  const s = Math.hypot(ax, ay);
  if (s < 1e-10) return z < 0 ? [0, 1, 0, 0] : [1, 0, 0, 0];
  const angle = Math.atan2(s, z);
  const h = Math.sin(angle / 2) / s;
  return [Math.cos(angle / 2), ax * h, ay * h, 0];
}

function placedGeom(g: MjcfGeom, body: number): KinGeom {
  let pos: V3 = g.pos ?? [0, 0, 0];
  let quat: Quat = g.quat ?? [1, 0, 0, 0];
  let size = g.size.slice();
  if (g.fromto) {
    const [x1, y1, z1, x2, y2, z2] = g.fromto;
    pos = [(x1 + x2) / 2, (y1 + y2) / 2, (z1 + z2) / 2];
    quat = quatZToVec([x1 - x2, y1 - y2, z1 - z2]); // MuJoCo points the geom z axis from `to` towards `from`
    size = [g.size[0]!, Math.hypot(x2 - x1, y2 - y1, z2 - z1) / 2];
  }
  return { name: g.name, body, type: g.type, size, pos, quat, rgba: g.rgba };
}

/** Bodies (depth-first, as MuJoCo numbers them), joints with their qpos addresses, and geoms. */
export function kinematicTree(m: MjcfModel): KinematicTree {
  const bodies: KinBody[] = [];
  const geoms: KinGeom[] = m.worldGeoms.map((g) => placedGeom(g, -1));
  let qadr = 0;
  const visit = (b: MjcfBody, parent: number): void => {
    const index = bodies.length;
    const joints: KinJoint[] = b.joints.map((j) => {
      const k: KinJoint = { type: j.type, axis: j.axis ?? [0, 0, 1], pos: j.pos ?? [0, 0, 0], qposadr: qadr, ref: j.ref ?? 0 };
      qadr += j.type === 'free' ? 7 : 1;
      return k;
    });
    bodies.push({ name: b.name, parent, pos: b.pos, quat: b.quat ?? [1, 0, 0, 0], joints });
    for (const g of b.geoms) geoms.push(placedGeom(g, index));
    for (const c of b.children) visit(c, index);
  };
  for (const b of m.bodies) visit(b, -1);
  return { nq: qadr, bodies, geoms };
}
