// jest globalTeardown: stops what global-setup.ts started (and deletes its data dirs).
import { SERVICES_KEY, type GlobalServicesState } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  const globals = globalThis as Record<string, unknown>;
  const state = globals[SERVICES_KEY] as GlobalServicesState | undefined;
  if (!state) return;
  delete globals[SERVICES_KEY];
  for (const [key, value] of Object.entries(state.previousEnv)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  await state.services.stop();
}
