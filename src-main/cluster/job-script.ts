// The job array script the lab submits: one array task per run or per seed group (runs that differ
// only in seed, trained as one seed-batched computation); task i runs `lab cluster task` on the run
// folders of its group. Slurm options go in #SBATCH lines (so the script says how it was submitted);
// extra --sbatch-arg values are passed to sbatch on its command line.
import type { SlurmOptions } from '../store/repos/slurm-tasks.ts';

export interface JobScript {
  /** Job name shown by squeue. */
  name: string;
  /** Run folders per task: task i trains the runs of tasks[i] (one run, or a seed group). */
  tasks: string[][];
  /** Folder of the tasks' output files (%A_%a.out). */
  logDir: string;
  options: SlurmOptions;
  /** The lab entry to run on the nodes (bin/lab.js of the project installed in the shared DIR). */
  labEntry: string;
}

/** Single-quote for bash. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export function jobScriptText(j: JobScript): string {
  const o = j.options;
  const lines = [
    '#!/bin/bash',
    `#SBATCH --job-name=${j.name}`,
    `#SBATCH --array=0-${j.tasks.length - 1}`,
    `#SBATCH --output=${j.logDir}/%A_%a.out`,
    '#SBATCH --ntasks=1',
    ...(o.partition ? [`#SBATCH --partition=${o.partition}`] : []),
    ...(o.time ? [`#SBATCH --time=${o.time}`] : []),
    `#SBATCH --cpus-per-task=${o.cpusPerTask ?? 1}`,
    ...(o.mem ? [`#SBATCH --mem=${o.mem}`] : []),
    o.requeue ? '#SBATCH --requeue' : '#SBATCH --no-requeue',
    '# Written by MaxEnt Lab (lab experiment run --on slurm): one array task per run or seed group.',
    '# Each task trains its runs and writes only their folders; the lab ingests the folders into its store.',
    'set -euo pipefail',
    'case "$SLURM_ARRAY_TASK_ID" in',
    ...j.tasks.map((folders, i) => `  ${i}) set -- ${folders.map(shellQuote).join(' ')} ;;`),
    '  *) echo "no run folders for array task $SLURM_ARRAY_TASK_ID" >&2; exit 2 ;;',
    'esac',
    '# Node >= 22.18 on the nodes: LAB_NODE names it, else `node` on PATH (load a module before if needed).',
    `exec "\${LAB_NODE:-node}" --no-warnings ${shellQuote(j.labEntry)} cluster task "$@"`,
    '',
  ];
  return lines.join('\n');
}
