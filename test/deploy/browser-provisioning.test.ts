import { describe, expect, it } from 'vitest';
import { INSTALL_CHROMIUM, browserProvisioning } from '../support/browser.js';

const machine = { path: '/usr/bin/chromium', pathFromEnv: false, exists: false, isRoot: false };

describe('how a test run gets its browser', () => {
  it('uses the browser that is there', () => {
    expect(browserProvisioning({ ...machine, exists: true })).toEqual({ action: 'none' });
  });

  it("installs Debian's chromium when it is missing and the run is root", () => {
    expect(browserProvisioning({ ...machine, isRoot: true })).toEqual({ action: 'install', command: INSTALL_CHROMIUM });
    expect(INSTALL_CHROMIUM).toBe('apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium');
  });

  it('fails with the exact command when it cannot install', () => {
    expect(browserProvisioning(machine)).toEqual({ action: 'fail', message: `No browser at /usr/bin/chromium: install Debian's chromium as root with: ${INSTALL_CHROMIUM}` });
  });

  it('never installs over a CHROMIUM_PATH the user chose', () => {
    expect(browserProvisioning({ ...machine, path: '/opt/chrome', pathFromEnv: true, isRoot: true })).toEqual({ action: 'fail', message: 'No browser at CHROMIUM_PATH=/opt/chrome' });
  });
});
