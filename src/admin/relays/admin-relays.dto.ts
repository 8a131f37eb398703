import { createZodDto } from '../../common/zod-dto';
import { adminRelayViewSchema } from './admin-relays.schemas';

export class AdminRelayViewDto extends createZodDto(adminRelayViewSchema) {}
