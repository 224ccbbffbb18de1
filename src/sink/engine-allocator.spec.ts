import { configureEngineAllocator, ENGINE_MALLOC_CONF } from './engine-allocator.js';

describe('configureEngineAllocator', () => {
  it("sets the engine's allocator options when the environment has none", () => {
    const env: NodeJS.ProcessEnv = {};
    configureEngineAllocator(env);
    expect(env.JE_MALLOC_CONF).toBe(ENGINE_MALLOC_CONF);
  });

  it("keeps an operator's own value", () => {
    const env: NodeJS.ProcessEnv = { JE_MALLOC_CONF: 'dirty_decay_ms:5000' };
    configureEngineAllocator(env);
    expect(env.JE_MALLOC_CONF).toBe('dirty_decay_ms:5000');
  });
});
