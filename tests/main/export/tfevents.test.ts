// TensorBoard event encoding against TensorFlow's own bytes: the first four records of an event file
// TensorFlow 2 wrote with tf.summary.scalar("my_metric", 0.5 * step, step) (testdata of the public
// orktes/go-tensorboard repository), and CRC-32C against its published check value.
import { describe, expect, it } from 'vitest';
import { crc32c, fileVersionEvent, maskedCrc32c, scalarEvent, textEvent, tfRecord } from '../../../src-main/export/tfevents.ts';
import { readEventFile } from './read-tfevents.ts';

const TF_RECORDS = [
  '1800000000000000a37f4b2209000080eb32a0d7411a0d627261696e2e4576656e743a32af5dfc92',
  '31000000000000009d8383e909ca8988eb32a0d7412a260a240a096d795f6d6574726963420a080112002204000000004a0b0a090a077363616c6172736e649f69',
  '33000000000000000ca7205609ac8e88eb32a0d74110012a260a240a096d795f6d6574726963420a0801120022040000003f4a0b0a090a077363616c617273e6259003',
  '33000000000000000ca72056098e9288eb32a0d74110022a260a240a096d795f6d6574726963420a0801120022040000803f4a0b0a090a077363616c617273e718b819',
];
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
/** The wall_time double of a TensorFlow record (bytes 13-20: after the length, its CRC and the field key 0x09). */
const wallOf = (h: string) => Buffer.from(h, 'hex').readDoubleLE(13);

describe('TensorBoard event files', () => {
  it('CRC-32C gives the check value of "123456789"; the mask is TFRecord\'s', () => {
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(0))).toBe(0);
    // the masked CRC of TensorFlow's first record's length field, as the file stores it
    expect(maskedCrc32c(Buffer.from('1800000000000000', 'hex'))).toBe(Buffer.from(TF_RECORDS[0]!, 'hex').readUInt32LE(8));
  });

  it("the file-version event and three scalars equal TensorFlow's bytes", () => {
    expect(hex(tfRecord(fileVersionEvent(wallOf(TF_RECORDS[0]!))))).toBe(TF_RECORDS[0]);
    for (const step of [0, 1, 2]) {
      expect(hex(tfRecord(scalarEvent(wallOf(TF_RECORDS[step + 1]!), step, 'my_metric', 0.5 * step)))).toBe(TF_RECORDS[step + 1]);
    }
  });

  it('reads back what it writes: large steps, NaN, text, every CRC checked', () => {
    const file = Buffer.concat([fileVersionEvent(1.5e9), scalarEvent(1.5e9 + 1, 2_000_000_123, 'losses/alpha', Number.NaN), scalarEvent(1.5e9 + 2, 3, 'charts/episodic_return', -1234.5), textEvent(1.5e9, 0, 'config', '`{"seed": 3}`')].map(tfRecord));
    const events = readEventFile(file);
    expect(events.map((e) => [e.wallTime, e.step, e.fileVersion ?? e.tag, e.plugin ?? null])).toEqual([
      [1.5e9, 0, 'brain.Event:2', null],
      [1.5e9 + 1, 2_000_000_123, 'losses/alpha', 'scalars'],
      [1.5e9 + 2, 3, 'charts/episodic_return', 'scalars'],
      [1.5e9, 0, 'config', 'text'],
    ]);
    expect(events[1]!.value).toBeNaN();
    expect(events[2]!.value).toBe(-1234.5);
    expect(events[3]!.text).toBe('`{"seed": 3}`');
    const corrupt = Buffer.from(file);
    corrupt[60]! ^= 1;
    expect(() => readEventFile(corrupt)).toThrow(/record 1: data CRC mismatch/);
  });
});
