import { parseVideoShape } from './video-shape-probe';

describe('parseVideoShape', () => {
  it('groups decoded frames into runs of one size and lists mid-stream sequence headers', () => {
    const frames = JSON.stringify({
      frames: [
        { width: 1280, height: 720, pkt_dts_time: '0.000000' },
        { width: 1280, height: 720, pkt_dts_time: '0.074000' },
        { width: 640, height: 480, pkt_dts_time: '6.730000' },
        { width: 640, height: 480, pts_time: '6.828000' },
      ],
    });
    const packets = JSON.stringify({
      packets: [
        { dts_time: '0.000000' },
        { dts_time: '6.730000', side_data_list: [{ side_data_type: 'New Extradata' }] },
        { dts_time: '9.638000', side_data_list: [{ side_data_type: 'New Extradata' }] },
      ],
    });
    expect(parseVideoShape(frames, packets)).toEqual({
      sizes: [
        { width: 1280, height: 720, frames: 2, fromMs: 0 },
        { width: 640, height: 480, frames: 2, fromMs: 6730 },
      ],
      newHeadersAtMs: [6730, 9638],
    });
  });

  it('reads an empty probe', () => {
    expect(parseVideoShape('{}', '{}')).toEqual({ sizes: [], newHeadersAtMs: [] });
  });
});
