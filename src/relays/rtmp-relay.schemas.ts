import { createZodDto } from '../common/zod-dto';
import {
  hlsReadySchema,
  publishAuthRequestSchema,
  publishAuthResponseSchema,
  relayHandOverResponseSchema,
  relayHeartbeatResponseSchema,
  relayHeartbeatSchema,
  relayRegistrationSchema,
  relayResponseSchema,
  relayStreamPlanSchema,
  relayStreamStatusSchema,
  relayRecordingReportSchema,
} from '../../relay/protocol/relay-protocol.schemas';

/**
 * The relay-facing endpoints' DTOs. The shapes themselves are the relay protocol
 * (relay/protocol/relay-protocol.schemas.ts), shared with the relay agent; only the classes
 * nestjs-zod needs for validation and OpenAPI live here.
 */
export class RelayStreamPlanDto extends createZodDto(relayStreamPlanSchema) {}
export class HlsReadyDto extends createZodDto(hlsReadySchema) {}
export class RelayStreamStatusDto extends createZodDto(relayStreamStatusSchema) {}
export class PublishAuthDto extends createZodDto(publishAuthRequestSchema) {}
/** A const, not a class: the answer is a union (allowed or refused), which a class cannot extend. */
export const PublishAuthResponseDto = createZodDto(publishAuthResponseSchema);
// The OpenAPI document names the schema after the class; the anonymous one would be "AugmentedZodDto".
Object.defineProperty(PublishAuthResponseDto, 'name', { value: 'PublishAuthResponseDto' });
export class RelayRegistrationDto extends createZodDto(relayRegistrationSchema) {}
export class RelayHeartbeatDto extends createZodDto(relayHeartbeatSchema) {}
export class RelayHeartbeatResponseDto extends createZodDto(relayHeartbeatResponseSchema) {}
export class RelayRecordingReportDto extends createZodDto(relayRecordingReportSchema) {}
export class RelayResponseDto extends createZodDto(relayResponseSchema) {}
export class RelayHandOverResponseDto extends createZodDto(relayHandOverResponseSchema) {}
