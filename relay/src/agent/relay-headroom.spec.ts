import { DEFAULT_ENCODE_COST, relayHeadroom, type HeadroomInput } from './relay-headroom';

const base: HeadroomInput = {
  cores: 2,
  cpuBudgetPercent: 80,
  memoryBudgetMb: 4000,
  agent: { cpuPercent: 0, memoryMb: 40 },
  streams: [],
};

describe('relayHeadroom', () => {
  it('counts an empty relay in default encodes', () => {
    const headroom = relayHeadroom(base);
    expect(headroom.encodeCost).toEqual(DEFAULT_ENCODE_COST);
    expect(headroom.freeStreams).toBe(Math.floor(160 / DEFAULT_ENCODE_COST.cpuPercent));
    expect(headroom.capacity).toBe(headroom.freeStreams);
  });

  it('offers more room on a relay of copied streams than on one of encodes', () => {
    const encodes = relayHeadroom({
      ...base,
      agent: { cpuPercent: 16, memoryMb: 80 },
      streams: Array.from({ length: 4 }, () => ({ mode: 'encode' as const, cpuPercent: 20, memoryMb: 60 })),
    });
    // used 16 + 80 = 96 of 160; an encode costs 20 + 4 (agent share): 64 / 24 → 2 more
    expect(encodes.used.cpuPercent).toBe(96);
    expect(encodes.encodeCost.cpuPercent).toBe(24);
    expect(encodes).toMatchObject({ freeStreams: 2, capacity: 6 });

    const copies = relayHeadroom({
      ...base,
      agent: { cpuPercent: 16, memoryMb: 80 },
      streams: [
        { mode: 'encode', cpuPercent: 20, memoryMb: 60 },
        ...Array.from({ length: 3 }, () => ({ mode: 'passthrough' as const, cpuPercent: 1, memoryMb: 15 })),
      ],
    });
    // used 16 + 23 = 39; an encode still costs 20 + 4: 121 / 24 → 5 more
    expect(copies).toMatchObject({ freeStreams: 5, capacity: 9 });
  });

  it('is bound by memory too, and never offers less than what it carries (at least 1)', () => {
    const tight = relayHeadroom({
      ...base,
      memoryBudgetMb: 300,
      streams: [{ mode: 'encode', cpuPercent: 10, memoryMb: 200 }],
    });
    expect(tight.freeStreams).toBe(0);
    expect(tight.capacity).toBe(1);
  });
});
