import { userIdFromPathSegment, userPathSegment } from './user-path-segment';

describe('userPathSegment', () => {
  it('is path-safe and reversible', () => {
    for (const userId of ['alice@example.com', 'a/b', '../../etc', 'ÄÖü 😀', 'x'.repeat(256), 'A']) {
      const segment = userPathSegment(userId);
      expect(segment).toMatch(/^u[a-z2-7]+$/);
      expect(userIdFromPathSegment(segment)).toBe(userId);
    }
  });

  it('never maps two users to one segment, even when they differ only in case or punctuation', () => {
    const users = ['Alice@example.com', 'alice@example.com', 'a/b', 'a_b', 'a-b', 'a b', 'ab', 'a', 'aa'];
    const segments = new Set(users.map(userPathSegment));
    expect(segments.size).toBe(users.length);
  });

  it('rejects segments that are not ours', () => {
    expect(userIdFromPathSegment('live')).toBeNull();
    expect(userIdFromPathSegment('u1')).toBeNull();
  });
});
