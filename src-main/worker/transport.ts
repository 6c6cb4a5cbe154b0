// The worker's side of the channel to main: Node's child_process IPC (process.send) when forked,
// Electron's process.parentPort when started as a utilityProcess. Same JSON messages either way.
export interface WorkerTransport {
  send(message: unknown, sent?: () => void): void;
  onMessage(handler: (message: unknown) => void): void;
  /** The parent went away (it died or closed the channel). */
  onDisconnect(handler: () => void): void;
}

interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
}

export function parentTransport(): WorkerTransport {
  const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
  if (parentPort) {
    return {
      send: (m, sent) => {
        parentPort.postMessage(m);
        if (sent) setImmediate(sent);
      },
      onMessage: (h) => parentPort.on('message', (e) => h(e.data)),
      onDisconnect: () => {}, // Electron ends utility processes with their parent
    };
  }
  if (!process.send) throw new Error('the training worker must be started by the run manager (no IPC channel)');
  return {
    send: (m, sent) => {
      if (!process.connected) return;
      process.send!(m, undefined, {}, () => sent?.());
    },
    onMessage: (h) => process.on('message', h),
    onDisconnect: (h) => process.on('disconnect', h),
  };
}
