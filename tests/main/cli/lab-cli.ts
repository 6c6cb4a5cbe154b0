// Runs the `lab` command as a user does (node bin/lab.js ...), with LAB_DB cleared so only --db
// chooses the store; resolves with the exit code and both output streams. Shared by the CLI tests.
import { spawn } from 'node:child_process';

const root = new URL('../../../', import.meta.url).pathname;

export interface LabResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function lab(...args: string[]): Promise<LabResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/lab.js', ...args], { cwd: root, env: { ...process.env, LAB_DB: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
