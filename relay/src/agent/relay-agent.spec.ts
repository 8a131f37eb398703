import { parseStreamName } from './relay-agent';

describe('parseStreamName', () => {
  it('accepts {userSegment}/{streamId} only', () => {
    expect(parseStreamName('umfrgg2lpmvuw/ms_abcDEF-_12')).toEqual({ userSegment: 'umfrgg2lpmvuw', streamId: 'ms_abcDEF-_12' });
    for (const bad of ['ms_1', 'u1/ms_x', 'uabc/../ms_x', 'uabc/ms_x/extra', 'uabc/other', ''])
      expect(parseStreamName(bad)).toBeNull();
  });
});
