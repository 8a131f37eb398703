import { Prisma } from '../generated/prisma/client';

interface DriverErrorCause {
  originalCode?: unknown;
  originalMessage?: unknown;
}

/** The Postgres error a Prisma error wraps (driver adapters keep it in meta.driverAdapterError). */
function driverCause(error: Prisma.PrismaClientKnownRequestError): DriverErrorCause | undefined {
  const driverError = error.meta?.driverAdapterError as { cause?: DriverErrorCause } | undefined;
  return driverError?.cause;
}

/**
 * Pure: Postgres refused a value the request carried (SQLSTATE class 22, "data exception": a NUL
 * byte, a number out of range, a string too long for its column). The client's input is wrong,
 * not the service, so it is a 400; returns the database's reason, or null for any other error.
 */
export function rejectedValueReason(error: unknown): string | null {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return null;
  const cause = driverCause(error);
  if (typeof cause?.originalCode !== 'string' || !cause.originalCode.startsWith('22')) return null;
  return typeof cause.originalMessage === 'string' ? cause.originalMessage : `database error ${cause.originalCode}`;
}
