// Parsing of Slurm's answers (texts as slurm-wlm 22.05 prints them) and the job array script.
import { describe, expect, it } from 'vitest';
import { expandTaskIds, parseSacct, parseScontrolJobs, parseSqueue } from '../../../src-main/cluster/slurm.ts';
import { jobScriptText } from '../../../src-main/cluster/job-script.ts';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../store/helpers.ts';

describe('Slurm answers', () => {
  it('expands array task specs', () => {
    expect(expandTaskIds('3')).toEqual([3]);
    expect(expandTaskIds('[0-2,5]')).toEqual([0, 1, 2, 5]);
    expect(expandTaskIds('0-9%2')).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(expandTaskIds('')).toEqual([]);
  });

  it('reads scontrol show job -o lines: state, reason, exit code, restarts; a grouped pending line gives each task', () => {
    const text = [
      'JobId=2 ArrayJobId=1 ArrayTaskId=0 JobName=lab-exp1 UserId=root(0) JobState=TIMEOUT Reason=TimeLimit Dependency=(null) Requeue=1 Restarts=0 BatchFlag=1 ExitCode=0:15 RunTime=00:01:00 Command=/x/submit 1.sh WorkDir=/x',
      'JobId=3 ArrayJobId=1 ArrayTaskId=1 JobName=lab-exp1 JobState=RUNNING Reason=None Restarts=2 ExitCode=0:0',
      'JobId=1 ArrayJobId=1 ArrayTaskId=2-3 JobName=lab-exp1 JobState=PENDING Reason=Resources Restarts=0 ExitCode=0:0',
      '',
    ].join('\n');
    expect(parseScontrolJobs(text)).toEqual([
      { taskId: 0, state: 'TIMEOUT', reason: 'TimeLimit', exitCode: '0:15', restarts: 0 },
      { taskId: 1, state: 'RUNNING', reason: null, exitCode: '0:0', restarts: 2 },
      { taskId: 2, state: 'PENDING', reason: 'Resources', exitCode: '0:0', restarts: 0 },
      { taskId: 3, state: 'PENDING', reason: 'Resources', exitCode: '0:0', restarts: 0 },
    ]);
  });

  it('reads squeue -o %K|%T|%r lines, and sacct -P lines ("CANCELLED by 0" splits into state and reason)', () => {
    expect(parseSqueue('[2-3]|PENDING|Resources\n1|RUNNING|None\n')).toEqual([
      { taskId: 2, state: 'PENDING', reason: 'Resources', exitCode: null, restarts: 0 },
      { taskId: 3, state: 'PENDING', reason: 'Resources', exitCode: null, restarts: 0 },
      { taskId: 1, state: 'RUNNING', reason: null, exitCode: null, restarts: 0 },
    ]);
    expect(parseSacct('7_0|COMPLETED|0:0\n7_1|CANCELLED by 0|0:15\n7_2|PREEMPTED|0:0\n')).toEqual([
      { taskId: 0, state: 'COMPLETED', reason: null, exitCode: '0:0', restarts: 0 },
      { taskId: 1, state: 'CANCELLED', reason: 'by 0', exitCode: '0:15', restarts: 0 },
      { taskId: 2, state: 'PREEMPTED', reason: null, exitCode: '0:0', restarts: 0 },
    ]);
  });
});

describe('job array script', () => {
  it('has one task per run or seed group, the Slurm options as #SBATCH lines, and hands each task its quoted run folders', () => {
    const text = jobScriptText({
      name: 'lab-exp4',
      tasks: [['/shared/exp-4/run-10', '/shared/exp-4/run-12'], ["/shared/it's/run-11"]],
      logDir: '/shared/exp-4/logs',
      options: { partition: 'short', time: '02:00:00', cpusPerTask: 2, mem: '4G', sbatchArgs: ['--qos=low'], requeue: true },
      labEntry: '/shared/lab/bin/lab.js',
    });
    const lines = text.split('\n');
    expect(lines[0]).toBe('#!/bin/bash');
    for (const l of ['#SBATCH --array=0-1', '#SBATCH --output=/shared/exp-4/logs/%A_%a.out', '#SBATCH --partition=short', '#SBATCH --time=02:00:00', '#SBATCH --cpus-per-task=2', '#SBATCH --mem=4G', '#SBATCH --requeue']) {
      expect(lines).toContain(l);
    }
    expect(text).not.toContain('--qos'); // extra sbatch arguments go on sbatch's command line
    // run the script as Slurm would, with a stand-in for node that prints its arguments one a line
    const t = tempDir();
    try {
      const script = join(t.dir, 'submit.sh');
      const fakeNode = join(t.dir, 'node');
      writeFileSync(script, text, { mode: 0o755 });
      writeFileSync(fakeNode, '#!/bin/sh\nfor a; do echo "$a"; done\n', { mode: 0o755 });
      const argsOf = (task: number) => spawnSync('bash', [script], { env: { ...process.env, LAB_NODE: fakeNode, SLURM_ARRAY_TASK_ID: String(task) }, encoding: 'utf8' });
      expect(argsOf(0).stdout.split('\n')).toEqual(['--no-warnings', '/shared/lab/bin/lab.js', 'cluster', 'task', '/shared/exp-4/run-10', '/shared/exp-4/run-12', '']);
      expect(argsOf(1).stdout.split('\n')).toEqual(['--no-warnings', '/shared/lab/bin/lab.js', 'cluster', 'task', "/shared/it's/run-11", '']);
      const none = argsOf(2);
      expect([none.status, none.stderr.trim()]).toEqual([2, 'no run folders for array task 2']);
    } finally {
      t.cleanup();
    }
  });
});
