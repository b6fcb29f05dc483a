// The events finder with map tiles turned off (`--tile-url none`), on a desktop screen and on a
// phone: the map draws Natural Earth's country outlines served by the app itself, the page asks
// nothing of any other server, and on a wide screen the list and the map sit side by side.
// Every page visited is checked with axe (WCAG 2.2 A/AA), for sideways scrolling and for <html lang>.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { launchBrowser, newDesktopPage, newPhonePage, startApp, stayLocal } from '../lib/harness.js';

// Montréal has two demo events in the current campaign, whatever the day (see src/events/demo.rs).
const PLACE = 'Montréal';

let app;
let browser;

before(async () => {
  app = await startApp({ serverArgs: ['--tile-url', 'none'] });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await app?.stop();
});

/** The current demo campaign's finder, found from the home page as a visitor would. */
async function finderPath() {
  const response = await fetch(`${app.baseUrl}/api/v1/campaigns`);
  const body = await response.json();
  const campaigns = body.campaigns ?? body;
  const current = campaigns.map((c) => c.slug).filter((s) => /^w4r-\d{4}$/.test(s)).sort().pop();
  assert.ok(current, `a current demo campaign: ${JSON.stringify(body).slice(0, 300)}`);
  return `/campaigns/${current}/events`;
}

/** Opens the finder near PLACE; returns the page's CSP and what left (or tried to leave) 127.0.0.1. */
async function openFinder(page) {
  const context = page.context();
  const elsewhere = [];
  context.on('request', (request) => {
    const url = new URL(request.url());
    if ((url.protocol === 'http:' || url.protocol === 'https:') && url.origin !== app.baseUrl) {
      elsewhere.push(request.url());
    }
  });
  const stopped = await stayLocal(context, app.baseUrl);
  const path = `${await finderPath()}?${new URLSearchParams({ place: PLACE })}`;
  const response = await page.goto(`${app.baseUrl}${path}`);
  assert.equal(response.status(), 200);
  return { csp: response.headers()['content-security-policy'], elsewhere, stopped };
}

/** Waits for the outlines, then describes the map as drawn. */
async function mapDrawn(page) {
  const outlines = page.locator('#finder-map .leaflet-outlines-pane path');
  await outlines.nth(100).waitFor({ state: 'attached', timeout: 10_000 });
  return page.locator('#finder-map').evaluate((map) => {
    const paths = [...map.querySelectorAll('.leaflet-outlines-pane path')];
    const drawn = paths.filter((p) => {
      const box = p.getBoundingClientRect();
      return box.width > 0 && box.height > 0 && (p.getAttribute('d') ?? '').length > 10;
    });
    const inView = drawn.filter((p) => {
      const box = p.getBoundingClientRect();
      const frame = map.getBoundingClientRect();
      return box.right > frame.left && box.left < frame.right && box.bottom > frame.top && box.top < frame.bottom;
    });
    return {
      hidden: map.hidden,
      ariaHidden: map.getAttribute('aria-hidden'),
      outlines: paths.length,
      inView: inView.length,
      fill: drawn[0]?.getAttribute('fill'),
      tiles: map.querySelectorAll('img.leaflet-tile').length,
      markers: map.querySelectorAll('.leaflet-marker-icon, .leaflet-marker-pane > *, path.leaflet-interactive').length,
      attribution: map.querySelector('.leaflet-control-attribution')?.textContent ?? '',
      focusable: [...map.querySelectorAll('a[href], button, [tabindex]')].filter((el) => el.tabIndex >= 0).length,
    };
  });
}

function box(page, selector) {
  return page.locator(selector).evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { left: r.left, right: r.right, top: r.top + window.scrollY, bottom: r.bottom + window.scrollY, width: r.width, height: r.height };
  });
}

function assertOutlinesOnly(map, where) {
  assert.equal(map.hidden, false, `${where}: the map is shown`);
  assert.equal(map.ariaHidden, 'true', `${where}: the map is a visual aid only`);
  assert.ok(map.outlines > 150, `${where}: ${map.outlines} country outlines (Natural Earth 1:110m has 177)`);
  // Leaflet draws only what is in view (the rest get an empty path): around Montréal, Canada and the USA.
  assert.ok(map.inView >= 2, `${where}: ${map.inView} countries drawn in view`);
  assert.ok(map.fill && map.fill !== 'none', `${where}: the countries are filled (${map.fill})`);
  assert.equal(map.tiles, 0, `${where}: no tile image`);
  assert.ok(map.markers > 0, `${where}: the results are on the map`);
  assert.match(map.attribution, /Natural Earth/, `${where}: Natural Earth is credited`);
  assert.doesNotMatch(map.attribution, /OpenStreetMap/i, `${where}: no OpenStreetMap credit without its tiles`);
  assert.equal(map.focusable, 0, `${where}: nothing in the map is in the tab order`);
}

function assertNothingLeft({ csp, elsewhere, stopped }, where) {
  assert.ok(csp, `${where}: the page has a CSP`);
  assert.ok(!csp.includes('://'), `${where}: the CSP names no other origin: ${csp}`);
  assert.deepEqual(elsewhere, [], `${where}: requests left 127.0.0.1`);
  assert.deepEqual(stopped, [], `${where}: requests left 127.0.0.1`);
}

describe('the finder without map tiles', () => {
  test('on a desktop screen: the list and a map of country outlines side by side', async () => {
    const page = await newDesktopPage(browser);
    try {
      const seen = await openFinder(page);
      const map = await mapDrawn(page);
      assertOutlinesOnly(map, 'desktop');
      assert.equal(await page.locator('#finder-map-status').isVisible(), false, 'no "could not be loaded" message: nothing failed');
      assert.ok((await page.locator('#finder-results > li').count()) >= 1, `events near ${PLACE} are listed`);

      const list = await box(page, '#finder-results');
      const mapBox = await box(page, '#finder-map');
      const form = await box(page, '#finder-form');
      assert.ok(mapBox.width >= 400 && mapBox.height >= 300, `a map of a useful size: ${JSON.stringify(mapBox)}`);
      assert.ok(mapBox.left >= list.right, `the map is right of the list: map ${JSON.stringify(mapBox)}, list ${JSON.stringify(list)}`);
      assert.ok(mapBox.left >= form.right, `the map is right of the form: map ${JSON.stringify(mapBox)}, form ${JSON.stringify(form)}`);
      assert.ok(
        mapBox.top < list.bottom && list.top < mapBox.bottom,
        `the map and the list share rows: map ${JSON.stringify(mapBox)}, list ${JSON.stringify(list)}`,
      );
      assert.ok(mapBox.top < 800, `the map starts on the first screen: ${JSON.stringify(mapBox)}`);

      await page.check('finder without tiles (desktop)');
      assertNothingLeft(seen, 'desktop');
    } finally {
      await page.context().close();
    }
  });

  test('on a phone: one column, the map of country outlines above the list', async () => {
    const page = await newPhonePage(browser, { locale: 'fr-FR' });
    try {
      const seen = await openFinder(page);
      const map = await mapDrawn(page);
      assertOutlinesOnly(map, 'phone');

      const list = await box(page, '#finder-results');
      const mapBox = await box(page, '#finder-map');
      assert.ok(mapBox.bottom <= list.top, `the map is above the list: map ${JSON.stringify(mapBox)}, list ${JSON.stringify(list)}`);
      assert.ok(mapBox.height >= 200, `a map of a useful size: ${JSON.stringify(mapBox)}`);
      assert.ok(Math.abs(mapBox.width - list.width) < 80, `one column: map ${mapBox.width}px, list ${list.width}px wide`);

      await page.check('finder without tiles (phone, French)');
      assertNothingLeft(seen, 'phone');
    } finally {
      await page.context().close();
    }
  });
});
