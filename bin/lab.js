#!/usr/bin/env node
// The `lab` command (npm run lab -- <verb>, or npx lab <verb>). Runs the TypeScript sources
// directly with Node's built-in type stripping (Node >= 22.18), so there is no build step.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(`lab: Node >= 22.18 is required (this is ${process.version}); see README.md\n`);
  process.exit(2);
}
await import('../src-main/cli/main.ts');
