import { ForbiddenException, Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { roleAllows, type ApiRole } from '../../config/api-role.js';
import { LOCAL_CALLER, type RequestWithCaller } from './api-caller.js';
import type { ApiAuthConfig } from '../../config/api-auth.config.js';
import { API_AUTH } from '../api.tokens.js';
import { METRICS_ENDPOINT, PUBLIC_ENDPOINT, REQUIRED_ROLE } from './auth.decorators.js';
import { bearerToken, requestToken } from './token-matcher.js';

interface AuthRequest extends RequestWithCaller {
  readonly headers: Record<string, string | string[] | undefined>;
}

/**
 * Every request needs a configured bearer token whose role covers the handler's, except the
 * handlers marked public (and metrics when configured open). With no token configured the API is
 * open, which start-up allows only on a loopback address (listen-policy.ts).
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(API_AUTH) private readonly auth: ApiAuthConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ENDPOINT, targets)) return true;
    if (this.auth.metricsPublic && this.reflector.getAllAndOverride<boolean>(METRICS_ENDPOINT, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthRequest>();
    if (this.auth.tokens.length === 0) {
      request.vigilCaller = LOCAL_CALLER;
      return true;
    }
    const header = request.headers.authorization;
    const presented = bearerToken(Array.isArray(header) ? header[0] : header);
    const token = requestToken(this.auth.tokens, request);
    if (!token) {
      throw new UnauthorizedException({
        code: 'VIGIL_UNAUTHORIZED',
        message: presented === undefined ? 'a bearer token is required (Authorization: Bearer <token>)' : 'the bearer token is not valid',
      });
    }
    const needed = this.reflector.getAllAndOverride<ApiRole | undefined>(REQUIRED_ROLE, targets) ?? 'viewer';
    if (!roleAllows(token.role, needed)) {
      throw new ForbiddenException({ code: 'VIGIL_FORBIDDEN', message: `this needs the ${needed} role; token "${token.name}" is ${token.role}` });
    }
    request.vigilCaller = { name: token.name, role: token.role };
    return true;
  }
}
