import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { VigilError, type ErrorCode } from '../errors/vigil-error.js';

/** The part of Express's response the filter uses (Nest's default HTTP platform). */
interface JsonResponse {
  status(code: number): { json(body: unknown): void };
}

const STATUS: Partial<Record<ErrorCode, number>> = {
  VIGIL_QUERY: 400,
  VIGIL_QUERY_LIMIT: 422,
  VIGIL_RULE_INVALID: 400,
  VIGIL_RULE_NOT_FOUND: 404,
  VIGIL_TEMPLATE_INVALID: 422,
  VIGIL_TEMPLATE_NOT_FOUND: 404,
  VIGIL_KAFKA: 503,
  VIGIL_SINK_WRITE: 503,
};

/** Maps typed errors to HTTP at the edge: `{ code, message }` with a status per code. */
@Catch(VigilError)
export class VigilErrorFilter implements ExceptionFilter {
  catch(error: VigilError, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<JsonResponse>();
    response.status(STATUS[error.code] ?? 500).json({ code: error.code, message: error.message });
  }
}
