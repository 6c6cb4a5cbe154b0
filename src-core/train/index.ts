// The training engine's public face: createTrainer (one run), createGroupTrainer and canShareGroup
// (K runs identical but for seed, one batched computation), resolveRunConfig, the seam types and metric keys.
export { createTrainer } from './trainer.ts';
export { createGroupTrainer, canShareGroup } from './group_trainer.ts';
export { resolveRunConfig, DEFAULT_EVAL_SEED, type RunRequest } from './run_config.ts';
export { METRIC, evalKey, LOSS_LOG_INTERVAL } from './metric_keys.ts';
export { decodeCheckpoint } from './codec.ts';
export * from './types.ts';
