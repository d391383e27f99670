import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';

describe('WASM_LIFTOFF_ONLY', () => {
  it('is on for the worker and off for processes that serve requests, unless set', () => {
    expect(loadConfig({ ROLE: 'worker' }).wasmLiftoffOnly).toBe(true);
    expect(loadConfig({ ROLE: 'api' }).wasmLiftoffOnly).toBe(false);
    expect(loadConfig({ ROLE: 'live' }).wasmLiftoffOnly).toBe(false);
    expect(loadConfig({}).wasmLiftoffOnly).toBe(false);
    expect(loadConfig({ ROLE: 'worker', WASM_LIFTOFF_ONLY: 'false' }).wasmLiftoffOnly).toBe(false);
    expect(loadConfig({ ROLE: 'api', WASM_LIFTOFF_ONLY: 'true' }).wasmLiftoffOnly).toBe(true);
  });

  it('refuses a value that is not a boolean', () => {
    expect(() => loadConfig({ WASM_LIFTOFF_ONLY: 'sometimes' })).toThrow(/^config: WASM_LIFTOFF_ONLY is invalid/);
  });
});
