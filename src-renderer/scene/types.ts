// The contract between the scene host and one environment's scene.
import type * as THREE from 'three';
import type { DrawFrame } from '../../src-core/draw/index.ts';
import type { Extent, Plane } from './guides.ts';

export interface EnvScene {
  /** The plane the axes and the grid lie on (z is always up). */
  plane: Plane;
  /** Region of interest on that plane, in world units, for axes, grid and camera framing. */
  extent: Extent;
  /** Unit of the axes ('m'), or null when the scene is a diagram without metric axes (toy). */
  unit: string | null;
  /** Height of the ground grid for 3D scenes (quadrotor); undefined puts it on the plane. */
  groundLevel?: number;
  /** Direction from the target to the camera (default: nearly top-down for x-y, from -y for x-z). */
  viewDir?: [number, number, number];
  /** Range of a labelled vertical (z) axis for 3D scenes (quadrotor altitude). */
  zRange?: [number, number];
  /** Camera distance of the follow camera (world units); default a third of the fitted distance. */
  followDistance?: number;
  /** The camera a viewport starts with (orbit unless the agent is small against its extent). */
  defaultCamera?: 'orbit' | 'follow';
  /** What the colours and marks mean, shown over the viewport. */
  legend: { color: string; text: string }[];
  /** Everything this environment draws; added to the host's scene. */
  object: THREE.Object3D;
  /** Colour of the trail, or null for no trail. */
  trailColor: number | null;
  /** The trail point of a frame (world), when the scene has a trail. */
  trailPoint(frame: DrawFrame): THREE.Vector3 | null;
  /** Pose everything for one frame. */
  update(frame: DrawFrame): void;
  /** Point the follow camera tracks. */
  focus(frame: DrawFrame): THREE.Vector3;
  dispose(): void;
}
