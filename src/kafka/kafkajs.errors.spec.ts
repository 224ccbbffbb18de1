import { describe, expect, it } from '@jest/globals';
import { KafkaJSConnectionError, KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded } from 'kafkajs';
import { VigilError } from '../errors/vigil-error.js';
import { kafkaCall, toVigilKafkaError } from './kafkajs.errors.js';

describe('toVigilKafkaError', () => {
  it('keeps kafkajs retriable errors retryable, with the action in the message and the cause attached', () => {
    const cause = new KafkaJSConnectionError('Connection error: connect ECONNREFUSED');
    const error = toVigilKafkaError(cause, 'connect admin');
    expect(error).toMatchObject({ code: 'VIGIL_KAFKA', retryable: true, message: 'connect admin: Connection error: connect ECONNREFUSED' });
    expect(error.cause).toBe(cause);
  });

  it('judges "retries exceeded" by its underlying cause', () => {
    const transient = new KafkaJSNumberOfRetriesExceeded(new KafkaJSConnectionError('refused'), { retryCount: 5, retryTime: 1000 });
    expect(toVigilKafkaError(transient, 'x').retryable).toBe(true);
    const permanent = new KafkaJSNumberOfRetriesExceeded(new KafkaJSNonRetriableError('bad'), { retryCount: 5, retryTime: 1000 });
    expect(toVigilKafkaError(permanent, 'x').retryable).toBe(false);
  });

  it('treats non-retriable and foreign errors as not retryable, and passes VigilErrors through', () => {
    expect(toVigilKafkaError(new KafkaJSNonRetriableError('invalid topic'), 'x').retryable).toBe(false);
    expect(toVigilKafkaError(new TypeError('oops'), 'x').retryable).toBe(false);
    const own = new VigilError('VIGIL_SINK_WRITE', 'sink down', { retryable: true });
    expect(toVigilKafkaError(own, 'x')).toBe(own);
  });
});

describe('kafkaCall', () => {
  it('returns the result or throws the mapped error', async () => {
    await expect(kafkaCall('ok', async () => 7)).resolves.toBe(7);
    await expect(kafkaCall('send', () => Promise.reject(new KafkaJSConnectionError('down')))).rejects.toMatchObject({
      code: 'VIGIL_KAFKA',
      retryable: true,
      message: 'send: down',
    });
  });
});
