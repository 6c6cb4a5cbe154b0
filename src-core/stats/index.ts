// The statistics of MaxEnt Lab (pure): estimators, common step grid, aggregation with bands,
// stratified bootstrap, probability of improvement, performance profiles, normalisation,
// TensorBoard smoothing, min-max down-sampling, and the final-performance table with its exports.
export * from './estimators.ts';
export * from './bootstrap.ts';
export * from './improvement.ts';
export * from './profiles.ts';
export * from './normalize.ts';
export * from './grid.ts';
export * from './smoothing.ts';
export * from './downsample.ts';
export * from './aggregate.ts';
export * from './final-table.ts';
export * from './table-export.ts';
export * from './final-scores.ts';
export * from './grouping.ts';
export * from './score-ranges.ts';
export * from './caveats.ts';
export * from './task-aggregate.ts';
export * from './same-start.ts';
export * from './window-mean.ts';
export * from './across-tasks.ts';
export * from './across-tasks-export.ts';
