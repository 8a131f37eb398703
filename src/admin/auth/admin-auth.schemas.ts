import { createZodDto } from '../../common/zod-dto';
import { z } from 'zod';

export const adminLoginSchema = z.object({
  username: z.string().min(1, 'must not be empty').max(200),
  password: z.string().min(1, 'must not be empty').max(1024),
});
export class AdminLoginDto extends createZodDto(adminLoginSchema) {}

export const adminSessionResponseSchema = z.object({
  username: z.string(),
  csrfToken: z.string().describe('Send it back in the x-csrf-token header on every change'),
});
export type AdminSessionResponse = z.infer<typeof adminSessionResponseSchema>;
export class AdminSessionResponseDto extends createZodDto(adminSessionResponseSchema) {}
