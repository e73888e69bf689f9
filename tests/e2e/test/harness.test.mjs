// The harness's own check: every browser the tests and the bench launch leaves out
// Chromium's per-window omnibox WebUI renderer (tests/e2e/lib/harness.mjs,
// WINDOW_WEBUI_FEATURES), and keeps every feature playwright-core disables. A new context is
// a new window; with that renderer, each page a test opened shared the 2 cores with ~250 ms
// of Chromium's own start-up work (bench start-up: 447-499 ms median with it, 272 without).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { browserCommandLine, DISABLE_FEATURES_ARG, disabledFeaturesProblem, launchBrowser,
         PLAYWRIGHT_DISABLED_FEATURES, processCommandLines } from '../lib/harness.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Renderers of `browser` (found by its profile directory) started with --top-chrome-webui.
function windowWebUiRenderers(browser) {
  const dir = browserCommandLine(browser.gcMarker).find((a) => a.startsWith('--user-data-dir='));
  assert.ok(dir, 'the browser has a --user-data-dir');
  return processCommandLines().filter((argv) =>
    argv.includes(dir) && argv.includes('--type=renderer') && argv.includes('--top-chrome-webui')).length;
}

async function openWindows(browser, count) {
  for (let i = 0; i < count; i++) {
    const context = await browser.newContext();
    await (await context.newPage()).goto('about:blank');
  }
}

test('harness: the last --disable-features keeps playwright\'s features and adds the window WebUI ones', () => {
  const ours = DISABLE_FEATURES_ARG;
  const playwrights = `--disable-features=${PLAYWRIGHT_DISABLED_FEATURES.join(',')}`;
  assert.equal(disabledFeaturesProblem(['chromium', playwrights, ours]), null);
  // A newer playwright-core that disables one more feature: ours would switch it back on.
  assert.match(disabledFeaturesProblem(['chromium', `${playwrights},SomethingNew`, ours]), /lacks SomethingNew:/);
  // A --disable-features after ours (GC_CHROMIUM_ARGS) drops the window WebUI ones.
  assert.match(disabledFeaturesProblem(['chromium', playwrights, ours, '--disable-features=X']),
               /lacks WebUIOmniboxAimPopup, WebUIOmniboxPopup: a --disable-features after the harness's/);
});

test('harness: a launched browser opens windows without Chromium\'s omnibox WebUI renderer', async () => {
  // Control first: Chromium's default starts one such renderer per window; how long the
  // second window's takes to appear sets how long the harness's browser is watched.
  const control = await launchBrowser({ windowWebUI: true });
  let waitedMs;
  try {
    await openWindows(control, 1);
    const t0 = Date.now();
    await openWindows(control, 1);
    while (windowWebUiRenderers(control) < 2) {
      assert.ok(Date.now() - t0 < 15000, `Chromium's default browser started ${windowWebUiRenderers(control)} window WebUI renderers for 2 windows in 15 s`);
      await sleep(50);
    }
    waitedMs = Date.now() - t0;
  } finally {
    await control.close();
  }
  const browser = await launchBrowser({});
  try {
    await openWindows(browser, 2);
    await sleep(Math.max(1000, 2 * waitedMs));  // watched for twice the control's time, at least 1 s
    assert.equal(windowWebUiRenderers(browser), 0);
  } finally {
    await browser.close();
  }
});
