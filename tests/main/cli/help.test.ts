// Every `lab` verb answers --help (and -h, and `lab help VERB`) with its usage, exit 0, before it
// parses any flag: the verbs are read from the verb table of src-main/cli/main.ts, so a new verb
// without usage fails here.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { USAGE } from '../../../src-main/cli/usage.ts';
import { lab } from './lab-cli.ts';

describe('lab VERB --help', () => {
  it('every verb of the verb table prints its usage lines and exits 0', async () => {
    const table = readFileSync(new URL('../../../src-main/cli/main.ts', import.meta.url), 'utf8');
    const verbs = [...table.matchAll(/^ {2}([a-z]+): \(\) => import\('\.\/verbs\//gm)].map((m) => m[1]!);
    expect(verbs.length).toBeGreaterThanOrEqual(14);
    expect(verbs).toContain('runs');
    expect(verbs).toContain('report');
    expect(verbs).toContain('reproduce');
    const results = await Promise.all(verbs.map((v) => lab(v, '--help')));
    verbs.forEach((v, i) => {
      const r = results[i]!;
      expect({ verb: v, code: r.code, stderr: r.stderr }).toEqual({ verb: v, code: 0, stderr: '' });
      expect(USAGE[v], `usage of ${v} in src-main/cli/usage.ts`).toBeDefined();
      expect(r.stdout).toContain('usage:');
      for (const line of USAGE[v]!.split('\n')) expect(r.stdout).toContain(line);
      expect(r.stdout.split('\n').filter((l) => l.trim().startsWith('lab ')).every((l) => l.trim().startsWith(`lab ${v}`))).toBe(true);
    });
  });

  it('-h after a subcommand and flags, and `lab help VERB`, answer the same; `lab runs --help` no longer says "unknown flag"', async () => {
    const [a, b, c] = await Promise.all([lab('runs', '--help'), lab('runs', 'show', '3', '-h'), lab('help', 'runs')]);
    expect(a.stdout).toContain('lab runs show ID');
    expect(a.stderr).not.toMatch(/unknown flag/);
    expect(b.stdout).toBe(a.stdout);
    expect(c.stdout).toBe(a.stdout);
  });

  it('after a lone -- a --help is an argument, and an unknown verb is still an error', async () => {
    const r = await lab('nosuchverb', '--help');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown verb 'nosuchverb'/);
    const s = await lab('help', 'nosuchverb');
    expect(s.code).toBe(2);
  });
});
