import { parseServices, runsBatchWorkOnly } from './services.js';

describe('runsBatchWorkOnly', () => {
  it('is true for a process with the sink and without detect or notify', () => {
    expect(runsBatchWorkOnly(parseServices('sink'))).toBe(true);
    expect(runsBatchWorkOnly(parseServices('sink,api'))).toBe(true);
  });

  it('is false when the alert path or no sink runs here', () => {
    expect(runsBatchWorkOnly(parseServices('all'))).toBe(false);
    expect(runsBatchWorkOnly(parseServices('sink,detect'))).toBe(false);
    expect(runsBatchWorkOnly(parseServices('notify,sink'))).toBe(false);
    expect(runsBatchWorkOnly(parseServices('api'))).toBe(false);
    expect(runsBatchWorkOnly(parseServices('detect'))).toBe(false);
  });
});
