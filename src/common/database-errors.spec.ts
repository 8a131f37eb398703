import { Prisma } from '../generated/prisma/client';
import { rejectedValueReason } from './database-errors';

/** Shaped as Prisma 7 with the pg driver adapter reports a Postgres error. */
function prismaError(code: string, originalCode: string, originalMessage: string) {
  return new Prisma.PrismaClientKnownRequestError('Invalid `prisma.managedStream.findUnique()` invocation', {
    code,
    clientVersion: '7',
    meta: { driverAdapterError: { cause: { originalCode, originalMessage, kind: 'postgres' } } },
  });
}

describe('values Postgres refuses', () => {
  it('turns a data exception (SQLSTATE class 22) into its reason', () => {
    const nul = prismaError('P2039', '22021', 'invalid byte sequence for encoding "UTF8": 0x00');
    expect(rejectedValueReason(nul)).toBe('invalid byte sequence for encoding "UTF8": 0x00');
    const range = prismaError('P2020', '22003', 'value "2147483648" is out of range for type integer');
    expect(rejectedValueReason(range)).toBe('value "2147483648" is out of range for type integer');
  });

  it('leaves every other failure alone (it stays a 500 with an error id)', () => {
    expect(rejectedValueReason(prismaError('P2002', '23505', 'duplicate key'))).toBeNull();
    expect(rejectedValueReason(prismaError('P2039', '57P01', 'terminating connection'))).toBeNull();
    expect(
      rejectedValueReason(new Prisma.PrismaClientKnownRequestError('gone', { code: 'P2025', clientVersion: '7' })),
    ).toBeNull();
    expect(rejectedValueReason(new Error('invalid byte sequence'))).toBeNull();
    expect(rejectedValueReason(undefined)).toBeNull();
  });
});
