import { HttpException, HttpStatus, Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { ApiAuthConfig } from '../../config/api-auth.config.js';
import { API_AUTH } from '../api.tokens.js';
import { PUBLIC_ENDPOINT } from './auth.decorators.js';
import { RateLimiter } from './rate-limiter.js';
import { requestToken } from './token-matcher.js';

interface LimitedRequest {
  readonly headers: Record<string, string | string[] | undefined>;
  readonly ip?: string;
  readonly socket?: { readonly remoteAddress?: string };
}

interface HeaderResponse {
  setHeader(name: string, value: string): void;
}

/**
 * Counts per token name, so one busy client cannot starve another, and per client address for
 * requests without a valid token, so guessing tokens is throttled too; it runs before
 * authentication for that reason. Public endpoints (the liveness check) are not counted.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly limiter: RateLimiter;

  constructor(
    private readonly reflector: Reflector,
    @Inject(API_AUTH) private readonly auth: ApiAuthConfig,
  ) {
    this.limiter = new RateLimiter(auth.ratePerMinute);
  }

  canActivate(context: ExecutionContext): boolean {
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ENDPOINT, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<LimitedRequest>();
    const retryAfter = this.limiter.take(this.caller(request));
    if (retryAfter === undefined) return true;
    context.switchToHttp().getResponse<HeaderResponse>().setHeader('Retry-After', String(retryAfter));
    throw new HttpException(
      { code: 'VIGIL_RATE_LIMITED', message: `more than ${this.auth.ratePerMinute} requests a minute; retry in ${retryAfter} s` },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }

  private caller(request: LimitedRequest): string {
    const token = requestToken(this.auth.tokens, request);
    return token ? `token:${token.name}` : `address:${request.ip ?? request.socket?.remoteAddress ?? 'unknown'}`;
  }
}
