import { createZodDto } from '../../common/zod-dto';
import {
  adminAppListSchema,
  adminAppParamsSchema,
  adminCreateAppSchema,
  adminCreatedAppSchema,
  adminRotatedKeySchema,
  adminUpdateAppSchema,
  adminUpdatedAppSchema,
} from './admin-apps.schemas';

export class AdminCreateAppDto extends createZodDto(adminCreateAppSchema) {}
export class AdminUpdateAppDto extends createZodDto(adminUpdateAppSchema) {}
export class AdminAppParamsDto extends createZodDto(adminAppParamsSchema) {}
export class AdminAppListDto extends createZodDto(adminAppListSchema) {}
export class AdminCreatedAppDto extends createZodDto(adminCreatedAppSchema) {}
export class AdminUpdatedAppDto extends createZodDto(adminUpdatedAppSchema) {}
export class AdminRotatedKeyDto extends createZodDto(adminRotatedKeySchema) {}
