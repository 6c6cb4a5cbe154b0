// The only two IPC channels: one invoke channel for every contract method, one push channel for
// every contract event. Method and event names are checked against the contract on both ends.
export const CALL_CHANNEL = 'lab:call';
export const EVENT_CHANNEL = 'lab:event';
