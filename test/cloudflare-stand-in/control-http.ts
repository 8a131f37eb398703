import { z } from 'zod';
import { ControlError, driveStateSchema } from './broadcast-simulator';
import { injectedFailureSchema } from './failure-injector';
import { STATUS_SHAPES } from './live-input-model';
import type { StandInControl } from './stand-in-control';

export const CONTROL_PREFIX = '/__control';

export interface ControlAnswer {
  status: number;
  body: unknown;
}

const statusShapeSchema = z.object({ shape: z.enum(STATUS_SHAPES), liveInputId: z.string().optional() });
const webhookSchema = z.object({ url: z.url(), secret: z.string().min(1), name: z.string().optional() });

type Route = {
  method: string;
  pattern: RegExp;
  run: (control: StandInControl, params: string[], body: unknown) => unknown;
};

/**
 * `/__control/...`: the control surface over HTTP, for `npm start` and other processes.
 * Unauthenticated on purpose: the stand-in only listens on the loopback interface by default.
 */
const ROUTES: Route[] = [
  { method: 'GET', pattern: /^\/live-inputs$/, run: (c) => c.liveInputs() },
  { method: 'GET', pattern: /^\/live-inputs\/([^/]+)$/, run: (c, [id]) => c.liveInput(id) },
  { method: 'GET', pattern: /^\/live-inputs\/([^/]+)\/outputs$/, run: (c, [id]) => c.outputs(id) },
  {
    method: 'POST',
    pattern: /^\/live-inputs\/([^/]+)\/state$/,
    run: (c, [id], body) => c.setState(id, driveStateSchema.parse(body)),
  },
  { method: 'POST', pattern: /^\/live-inputs\/([^/]+)\/live-video$/, run: (c, [id]) => ({ video: c.makeLiveVideoAppear(id) }) },
  {
    method: 'PUT',
    pattern: /^\/status-shape$/,
    run: (c, _params, body) => {
      const { shape, liveInputId } = statusShapeSchema.parse(body);
      c.setStatusShape(shape, liveInputId);
      return { shape, liveInputId: liveInputId ?? null };
    },
  },
  { method: 'GET', pattern: /^\/failures$/, run: (c) => c.failures() },
  { method: 'POST', pattern: /^\/failures$/, run: (c, _params, body) => c.injectFailure(injectedFailureSchema.parse(body)) },
  { method: 'DELETE', pattern: /^\/failures$/, run: (c) => c.clearFailures() },
  { method: 'DELETE', pattern: /^\/failures\/(\d+)$/, run: (c, [id]) => c.clearFailures(Number(id)) },
  { method: 'GET', pattern: /^\/counters$/, run: (c) => c.counters() },
  { method: 'GET', pattern: /^\/requests$/, run: (c) => c.requests() },
  {
    method: 'GET',
    pattern: /^\/webhooks$/,
    run: async (c) => {
      await c.settleWebhooks();
      return c.webhookDeliveries();
    },
  },
  { method: 'PUT', pattern: /^\/webhook$/, run: (c, _params, body) => c.configureWebhook(webhookSchema.parse(body)) },
  { method: 'DELETE', pattern: /^\/webhook$/, run: (c) => c.configureWebhook(undefined) },
  { method: 'POST', pattern: /^\/reset$/, run: (c) => c.reset() },
];

export async function handleControlRequest(
  control: StandInControl,
  method: string,
  path: string,
  rawBody: string,
): Promise<ControlAnswer> {
  const subPath = path.slice(CONTROL_PREFIX.length) || '/';
  for (const route of ROUTES) {
    const match = route.pattern.exec(subPath);
    if (!match || route.method !== method) continue;
    try {
      const body = rawBody.trim() === '' ? {} : (JSON.parse(rawBody) as unknown);
      const result = await route.run(control, match.slice(1).map(decodeURIComponent), body);
      return result === undefined ? { status: 204, body: undefined } : { status: 200, body: result };
    } catch (error) {
      if (error instanceof ControlError) return { status: error.status, body: { error: error.message } };
      if (error instanceof z.ZodError) return { status: 400, body: { error: 'Invalid control request', issues: error.issues } };
      if (error instanceof SyntaxError) return { status: 400, body: { error: 'Malformed JSON' } };
      throw error;
    }
  }
  return { status: 404, body: { error: `No control endpoint ${method} ${path}` } };
}
