// Loads the chart page from a running daemon in headless Chromium and checks
// that it drew history and then received a live update; saves a screenshot.
// usage: node chart_test.mjs <base url> <screenshot path> [playwright-core dir]
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const [baseUrl, screenshot, modulesDir] = process.argv.slice(2);
if (!baseUrl || !screenshot) {
  console.error('usage: node chart_test.mjs <base url> <screenshot path> [node_modules dir]');
  process.exit(2);
}
const require = createRequire(path.join(modulesDir || process.cwd(), 'noop.js'));
const { chromium } = require('playwright-core');

const profile = mkdtempSync(path.join(tmpdir(), 'tickd-chromium-'));
let browser;
let failed = false;
function check(ok, what) {
  console.log((ok ? 'ok   ' : 'FAIL ') + what);
  if (!ok) failed = true;
}

try {
  // A persistent context is how playwright takes a fresh --user-data-dir.
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 720 },
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  const page = browser.pages()[0] || (await browser.newPage());
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });

  await page.goto(baseUrl + '/?symbol=BTCUSDT&interval=1m', { waitUntil: 'load', timeout: 15000 });
  await page.waitForFunction(() => window.__tickd && window.__tickd.candles > 10, null, { timeout: 15000 });
  const first = await page.evaluate(() => ({ ...window.__tickd }));
  check(first.candles > 10, `history drawn: ${first.candles} candles`);

  const canvases = await page.locator('#chart canvas').count();
  check(canvases > 0, `chart rendered into ${canvases} canvases`);

  await page.waitForFunction((n) => window.__tickd.updates > n && window.__tickd.state === 'live',
    first.updates, { timeout: 15000 });
  const live = await page.evaluate(() => ({ ...window.__tickd }));
  check(live.updates > first.updates && live.lastUpdate > 0, `live updates arrived: ${live.updates}`);
  check(await page.locator('#state.live').count() === 1, 'connection state shows live');
  check((await page.locator('#symbol option').count()) >= 2, 'symbol picker filled');
  check((await page.locator('#intervals button').count()) >= 2, 'interval picker filled');

  // Switching interval reloads history for that series.
  await page.locator('#intervals button', { hasText: /^1s$/ }).click();
  await page.waitForFunction(() => new URLSearchParams(location.search).get('interval') === '1s' &&
    window.__tickd.candles > 10, null, { timeout: 10000 });
  check(true, 'interval switch loaded 1s history');
  await page.locator('#intervals button', { hasText: /^1m$/ }).click();
  await page.waitForFunction(() => new URLSearchParams(location.search).get('interval') === '1m' &&
    window.__tickd.candles > 10, null, { timeout: 10000 });
  await page.waitForTimeout(1500);

  check(errors.length === 0, 'no page errors' + (errors.length ? ': ' + errors.join(' | ') : ''));
  mkdirSync(path.dirname(screenshot), { recursive: true });
  await page.screenshot({ path: screenshot });
  console.log('screenshot: ' + screenshot);
} catch (e) {
  console.error('FAIL ' + (e && e.stack ? e.stack : e));
  failed = true;
} finally {
  if (browser) await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
