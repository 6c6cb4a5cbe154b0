// Seed groups (issue 12): for every algorithm, each seed of a group reproduces the seed trained
// alone exactly over the first 500 updates (the bar is 1e-5 relative). Too slow for
// `npm test` on a busy 2-core machine; the short version is tests/core/train/group_equivalence.test.ts.
import { beforeAll, describe } from 'vitest';
import { initBackend } from '../../src-main/engine/backend.ts';
import { groupEqualsAlone } from '../group-equivalence.ts';

beforeAll(async () => {
  await initBackend('wasm');
});

describe('seed groups over 500 updates', () => {
  for (const algo of ['sac', 'sac-auto', 'sac-adaent', 'td3', 'ppo']) groupEqualsAlone(algo, 500);
});
