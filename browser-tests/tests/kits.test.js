// Event kits, as a host on a phone gets them: the host registers an event, finds the event kit on
// their dashboard and on the event's page, and it downloads as a PDF. The case page offers its
// letter and sheet. Every page visited is checked with axe (WCAG 2.2 A/AA), for sideways
// scrolling and for <html lang>.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { appNow, launchBrowser, newPhonePage, randomSuffix, signInWithPassword, STAFF, startApp, stayLocal, submit } from '../lib/harness.js';

// The current demo campaign is named after the next 10 December (today included), in UTC.
function currentCampaignSlug(now = appNow()) {
  const year = now.getUTCFullYear();
  const pastGlobalDay = now.getUTCMonth() === 11 && now.getUTCDate() > 10;
  return `w4r-${pastGlobalDay ? year + 1 : year}`;
}
const CURRENT = currentCampaignSlug();

// What a person reads on the page (from locales/en/main.ftl).
const T = {
  eventTitle: 'Name of the event',
  kind: 'Where it happens',
  public: 'Anyone: list it publicly so people can find it and sign up',
  start: 'Starts at',
  end: 'Ends at',
  place: 'Town or city',
  country: 'Country',
  venue: 'Name of the place',
  address: 'Street address',
  register: 'Register the event',
  eventKit: 'Event kit (PDF)',
  letter: 'Letter to print (PDF)',
  sheet: 'Case sheet to print (PDF)',
};

/**
 * Downloads by clicking `link`; returns the download and the answer to the same link fetched
 * with the page's cookies (a download's own response is not shown to the page).
 */
async function download(page, link) {
  const [dl] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const href = new URL(await link.getAttribute('href'), page.url()).toString();
  const response = await page.request.get(href);
  return { dl, response };
}

describe('event kits on a phone', () => {
  let app;
  let browser;
  let page;
  const suffix = randomSuffix();

  before(async () => {
    app = await startApp();
    browser = await launchBrowser();
    page = await newPhonePage(browser, { locale: 'en-GB' });
    await stayLocal(page.context(), app.baseUrl);
  });

  after(async () => {
    await page?.context().close();
    await browser?.close();
    await app?.stop();
  });

  test('the host dashboard offers the event kit, and it downloads as a PDF', async () => {
    // A staff member without their second factor has a host's rights: enough to host.
    await signInWithPassword(page, app, STAFF.email, STAFF.password, '/host');
    await page.goto(`${app.baseUrl}/campaigns/${CURRENT}/events/new`);
    await page.getByLabel(T.eventTitle, { exact: true }).fill(`Kit night ${suffix}`);
    await page.getByLabel(T.kind, { exact: true }).selectOption('library');
    await page.getByRole('radio', { name: T.public, exact: true }).check();
    await page.getByLabel(T.start, { exact: true }).fill('18:00');
    await page.getByLabel(T.end, { exact: true }).fill('20:30');
    const box = page.getByLabel(T.place, { exact: true });
    await box.click();
    await box.pressSequentially('Rimouski', { delay: 20 });
    const option = page.locator(`#${await box.getAttribute('list')} option[value^="Rimouski,"]`);
    await option.first().waitFor({ state: 'attached', timeout: 5000 });
    await box.fill(await option.first().getAttribute('value'));
    await box.dispatchEvent('change');
    await page.getByLabel(T.country, { exact: true }).selectOption('CA');
    await page.getByLabel(T.venue, { exact: true }).fill(`Library ${suffix}`);
    await page.getByLabel(T.address, { exact: true }).fill(`1 Book Street ${suffix}`);
    const registered = await submit(page, page.getByRole('button', { name: T.register, exact: true }));
    assert.equal(registered.status(), 303);
    const id = new URL(page.url()).pathname.match(/^\/events\/(\d+)$/)[1];

    // The event's page, for its host.
    await page.check('event page, as its host');
    const onEvent = page.getByRole('link', { name: T.eventKit, exact: true });
    assert.equal(await onEvent.getAttribute('href'), `/events/${id}/kit.pdf`);

    await page.goto(`${app.baseUrl}/host`);
    await page.check('host dashboard');
    const link = page.getByRole('link', { name: `${T.eventKit} — Kit night ${suffix}`, exact: true });
    await link.scrollIntoViewIfNeeded();
    const { dl, response } = await download(page, link);
    assert.equal(response.status(), 200);
    assert.equal(response.headers()['content-type'], 'application/pdf');
    assert.match(dl.suggestedFilename(), new RegExp(`^event-${id}-kit-en-letter\\.pdf$`));
    const file = await dl.path();
    const { readFile } = await import('node:fs/promises');
    const bytes = await readFile(file);
    assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
  });

  test('the case page offers its letter and its sheet', async () => {
    await page.goto(`${app.baseUrl}/campaigns/${CURRENT}`);
    await page.locator('ul.cards h3 a').first().click();
    await page.waitForLoadState();
    await page.check('case page');
    for (const name of [T.letter, T.sheet]) {
      const { response } = await download(page, page.getByRole('link', { name, exact: true }));
      assert.equal(response.status(), 200, name);
      assert.equal(response.headers()['content-type'], 'application/pdf', name);
    }
  });
});
