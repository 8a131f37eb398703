export { startCloudflareStandIn, type CloudflareStandIn, type CloudflareStandInOptions } from './stand-in-server';
export type { StandInControl } from './stand-in-control';
export type { DriveStateRequest } from './broadcast-simulator';
export type { InjectedFailure } from './failure-injector';
export type { StatusShape, LiveInputErrorCode } from './live-input-model';
export type { LiveInputNotification, WebhookTarget } from './webhook-notifier';
