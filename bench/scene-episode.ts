// The episode `npm run bench -- scenes` rolls out in Node and hands to the browser side to draw.
import type { DrawFrame } from '../src-core/draw/index.ts';

export interface BenchEpisode {
  env: string;
  variant: string;
  frames: DrawFrame[];
}
