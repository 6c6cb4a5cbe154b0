// The run manager's process host in the desktop app: each training run in its own Electron
// utilityProcess (same protocol as child_process.fork under Node). Bound when src-main/runs lands.
export function utilityProcessHost(): unknown {
  return undefined;
}
