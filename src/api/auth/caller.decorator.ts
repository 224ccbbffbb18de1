import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { LOCAL_CALLER, type ApiCaller, type RequestWithCaller } from './api-caller.js';

/** The authenticated caller of this request (set by BearerAuthGuard). */
export const Caller = createParamDecorator((_data: unknown, context: ExecutionContext): ApiCaller => {
  return context.switchToHttp().getRequest<RequestWithCaller>().vigilCaller ?? LOCAL_CALLER;
});
