// A results folder for the Paper results tests: the synthetic toy experiment of
// tests/main/bundle/fixture.ts (no training) as one compact bundle, where SAC-AdaEnt seed 0 carries
// real weights (the hand-set networks of tests/fixtures/landscape/hand-set.ts, with their config, so
// every state is critical by construction) and no other run kept any (as a run whose checkpoint is
// too large for a compact bundle); SAC's runs recorded one more evaluation after the budget's.
// And a campaign folder with one piece: TD3 of the same toy fixture paused at 2,000 of its 3,000 steps
// (its evaluation there stands beside SAC's completed runs at the same step).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportBundle } from '../../../src-main/bundle/export.ts';
import { writePiece } from '../../../src-main/evidence/pieces.ts';
import { initBackend } from '../../../src-main/engine/backend.ts';
import { openStore } from '../../../src-main/store/index.ts';
import { handSetAdaEnt } from '../../fixtures/landscape/hand-set.ts';
import { TOY_LIKE, writeFixture } from '../bundle/fixture.ts';

export async function writePaperResults(results: string): Promise<void> {
  await initBackend('wasm');
  const src = mkdtempSync(join(tmpdir(), 'lab-paper-src-'));
  const store = openStore(join(src, 'lab.db'));
  try {
    const { experimentId, runIds } = writeFixture(store, TOY_LIKE);
    const adaent = runIds[TOY_LIKE.findIndex((a) => a.algo === 'sac-adaent') * 3]!; // seed 0
    const { cfg, agent, bytes } = handSetAdaEnt(0);
    agent.dispose();
    const ckpt = store.checkpoints.list(adaent)[0]!;
    writeFileSync(ckpt.file, bytes);
    // its config, with the fixture's budget (the report keeps runs of other budgets apart)
    store.db.prepare('UPDATE runs SET config = jsonb(?) WHERE id = ?').run(JSON.stringify({ ...cfg, totalSteps: store.runs.require(adaent).totalSteps }), adaent);
    store.db.prepare('UPDATE checkpoints SET size = ? WHERE run_id = ?').run(bytes.length, adaent);
    store.db.prepare('DELETE FROM checkpoints WHERE run_id <> ?').run(adaent);
    // as on the vehicle, SAC's last evaluation comes after the budget's (3100, other start states):
    // PPO beside SAC must come from their shared evaluation at 3000
    for (const id of runIds.filter((id) => store.runs.require(id).algo === 'sac')) {
      const t = store.trajectories.get(store.trajectories.list(id)[0]!.id)!;
      store.trajectories.insert(id, { ...t, step: 3100, startSeed: 41 });
    }
    writeFileSync(join(results, 'toy-quick.labbundle'), exportBundle(store, experimentId, {}, { compact: true }).bytes);
  } finally {
    store.close();
    rmSync(src, { recursive: true, force: true });
  }
}

/** The command the fixture's piece names as the one that continues it. */
export const PIECE_COMMAND = 'lab reproduce toy --algos td3 --pieces campaign';

/** A campaign folder holding one piece: the fixture's TD3 paused at 2,000 of 3,000 steps. */
export function writePaperPiece(campaign: string): void {
  const src = mkdtempSync(join(tmpdir(), 'lab-piece-src-'));
  const store = openStore(join(src, 'lab.db'));
  try {
    const { experimentId, runIds } = writeFixture(store, [{ algo: 'td3', det: [0.5, 0.4, 0.6], sto: [0.4, 0.3, 0.5] }]);
    for (const id of runIds) {
      store.db.prepare('DELETE FROM evaluations WHERE run_id = ? AND step > 2000').run(id);
      store.runs.setGlobalStep(id, 2000);
      store.runs.setStatus(id, 'paused', null);
    }
    writePiece(store, experimentId, join(campaign, 'toy-quick-td3.labbundle'), { campaign: PIECE_COMMAND });
  } finally {
    store.close();
    rmSync(src, { recursive: true, force: true });
  }
}
