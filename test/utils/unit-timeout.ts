import { jest } from '@jest/globals';

// Jest's 5 s default fails tests that open chdb or spawn a process on a loaded 2-core machine,
// where they take 3.5-5 s; a real hang still fails in 30 s.
jest.setTimeout(30_000);
