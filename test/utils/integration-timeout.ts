import { jest } from '@jest/globals';

// Spawned CLIs, a real broker and chdb: under load a test that takes 5 s alone takes several
// times that. Tests that need longer say so themselves.
jest.setTimeout(120_000);
