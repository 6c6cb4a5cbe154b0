// The worker protocol: typed arrays cross as exact base64 (NaN kept), metric batches as columns,
// and the receiver refuses malformed or out-of-sequence messages with a one-line reason.
import { describe, expect, it } from 'vitest';
import {
  Receiver, WorkerMessage, Command, base64ToBytes, bytesToBase64, decodeMetrics, decodeTrajectory, encodeMetrics, encodeTrajectory, PROTOCOL_VERSION,
} from '../../../src-core/contract/worker-protocol.ts';

describe('worker protocol', () => {
  it('base64 matches Node for every length and round-trips typed arrays exactly', () => {
    for (let n = 0; n < 40; n++) {
      const b = Uint8Array.from({ length: n }, (_, i) => (i * 97 + n) & 255);
      expect(bytesToBase64(b)).toBe(Buffer.from(b).toString('base64'));
      expect(Array.from(base64ToBytes(bytesToBase64(b)))).toEqual(Array.from(b));
    }
    const t = {
      step: 5, mode: 'deterministic' as const, episode: 1, startSeed: 9, length: 2, obsDim: 1, actDim: 1, stateDim: 2,
      observations: Float32Array.from([0.1, 0.2, 0.3]), actions: Float32Array.from([1e-30, -2]), rewards: Float32Array.from([Infinity, -1]),
      rewardComponents: { goal: Float32Array.from([1, 2]) }, logProbs: Float32Array.from([Number.NaN, -0.5]), entropies: Float32Array.from([0, 1]),
      states: Float64Array.from([Math.PI, Math.E, 1 / 3, -0]),
    };
    const wire = JSON.parse(JSON.stringify({ ...encodeTrajectory(t), seq: 1 }));
    const back = decodeTrajectory(WorkerMessage.parse(wire) as never);
    expect(back.observations).toEqual(t.observations);
    expect(Number.isNaN(back.logProbs[0])).toBe(true);
    expect(back.rewards[0]).toBe(Infinity);
    expect(Array.from(back.states)).toEqual([Math.PI, Math.E, 1 / 3, -0]);
    expect(back.rewardComponents.goal).toEqual(t.rewardComponents.goal);
  });

  it('encodes metric batches as columns with NaN as null', () => {
    const batch = [
      { key: 'a', step: 1, wallTime: 0.5, value: 2 },
      { key: 'b', step: 1, wallTime: 0.5, value: Number.NaN },
      { key: 'a', step: 2, wallTime: 0.6, value: -1 },
    ];
    const m = encodeMetrics(batch);
    expect(m.keys).toEqual(['a', 'b']);
    expect(m.key).toEqual([0, 1, 0]);
    expect(m.value).toEqual([2, null, -1]);
    const back = decodeMetrics(WorkerMessage.parse(JSON.parse(JSON.stringify({ ...m, seq: 1 }))) as never);
    expect(back[0]).toEqual(batch[0]);
    expect(Number.isNaN(back[1]!.value)).toBe(true);
  });

  it('refuses malformed and out-of-sequence messages on both sides', () => {
    const r = new Receiver(WorkerMessage, 'worker');
    expect(r.accept({ seq: 1, type: 'log', level: 'info', message: 'hi' }).type).toBe('log');
    expect(() => r.accept({ seq: 3, type: 'log', level: 'info', message: 'x' })).toThrow('worker message out of sequence: got 3, expected 2');
    expect(() => r.accept({ seq: 2, type: 'progress', globalStep: 'a' })).toThrow(/^invalid worker message \(progress\): globalStep: /);
    expect(() => r.accept({ seq: 2, type: 'teleport' })).toThrow(/invalid worker message \(teleport\)/);
    expect(() => r.accept({ seq: 2, type: 'metrics', keys: ['a'], key: [0, 0], step: [1], wallTime: [0], value: [1] })).toThrow(/metric columns differ/);
    const c = new Receiver(Command, 'main');
    expect(() => c.accept({ seq: 1, type: 'start', protocol: PROTOCOL_VERSION + 1, runId: 1, config: {}, checkpointDir: '/x' })).toThrow(/invalid main message \(start\)/);
    expect(c.accept({ seq: 1, type: 'pause' }).type).toBe('pause');
  });
});
