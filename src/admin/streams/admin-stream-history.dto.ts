import { createZodDto } from '../../common/zod-dto';
import { adminStreamHistoryQuerySchema, adminStreamHistorySchema, adminStreamParamsSchema } from './admin-stream-history.schemas';

export class AdminStreamHistoryQueryDto extends createZodDto(adminStreamHistoryQuerySchema) {}
export class AdminStreamParamsDto extends createZodDto(adminStreamParamsSchema) {}
export class AdminStreamHistoryDto extends createZodDto(adminStreamHistorySchema) {}
