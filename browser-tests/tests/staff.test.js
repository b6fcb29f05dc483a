// The staff console on a phone and on a desktop: staff sign in with their second factor, open a
// campaign's dashboard (charts drawn on the server, each with its table), the events that ended
// with no report, and send one host a reminder, which the list then shows as sent today; the
// audit trail has the reminder. They set up the recap and publish it, and anyone reads it and
// downloads its PDF. Every page is checked with axe (WCAG 2.2 A/AA), for sideways
// scrolling and for <html lang>.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { launchBrowser, newPhonePage, STAFF, startApp, submit, totp } from '../lib/harness.js';

/** The finished demo campaign: every event has ended, some never reported. */
const PAST = 'w4r-2017';

describe('staff console', () => {
  let app;
  let browser;
  let page;
  const url = (p) => new URL(p, app.baseUrl).toString();

  before(async () => {
    app = await startApp({ lang: 'en' });
    browser = await launchBrowser();
    page = await newPhonePage(browser);
  });

  after(async () => {
    await browser?.close();
    await app?.stop();
  });

  test('staff sign in with their second factor', async () => {
    await page.goto(url('/signin'));
    await page.getByLabel('Email address', { exact: true }).fill(STAFF.email);
    await page.getByLabel('Password', { exact: true }).fill(STAFF.password);
    await submit(page, page.getByRole('button', { name: 'Sign in' }));
    await page.locator('main a[href="/account/second-factor"]').first().click();
    await page.waitForURL(url('/account/second-factor'));
    const key = (await page.locator('#second-factor-key').textContent()).trim();
    await page.getByLabel('Six-digit code from the app', { exact: true }).fill(totp(key));
    const enrolled = await submit(page, page.getByRole('button', { name: 'Confirm', exact: true }));
    assert.equal(enrolled.status(), 200);
  });

  test('the dashboard: counts, charts with their tables, regions', async () => {
    await page.goto(url('/staff'));
    await page.check('staff overview');
    const row = page.getByRole('row').filter({ has: page.locator(`a[href="/campaigns/${PAST}"]`) });
    await row.getByRole('link', { name: /Dashboard/ }).click();
    await page.waitForURL(url(`/staff/campaigns/${PAST}/dashboard`));
    await page.check('dashboard, phone');
    assert.ok(Number((await page.locator('#count-letters').textContent()).replace(/\D/g, '')) > 0);
    const chart = page.getByRole('img', { name: 'Letters reported, day by day' });
    assert.equal(await chart.count(), 1, 'the letters chart, named for screen readers');
    await page.locator('summary').first().click();
    assert.ok((await page.locator('#events-table tbody tr').count()) > 0);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.check('dashboard, desktop');
    await page.setViewportSize({ width: 360, height: 740 });
  });

  test('not reported: the list, a reminder sent, once a day', async () => {
    await page.goto(url(`/staff/campaigns/${PAST}/unreported`));
    await page.check('not reported, phone');
    const buttons = page.getByRole('button', { name: /Send a reminder now/ });
    const before = await buttons.count();
    assert.ok(before > 0, 'events to chase');
    const sent = await submit(page, buttons.first());
    assert.equal(sent.status(), 303);
    assert.match(page.url(), /notice=sent/);
    await page.getByRole('status').filter({ hasText: 'The reminder is on its way to the host.' }).waitFor();
    assert.equal(await buttons.count(), before - 1, 'the button is gone for today');
    assert.ok((await page.getByText('Reminded today').count()) >= 1);
    await page.check('not reported after a reminder, phone');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.check('not reported, desktop');
    await page.goto(url('/staff/audit?action=event.remind_host'));
    await page.check('audit trail, desktop');
    assert.equal(await page.locator('main tbody tr').count(), 1);
  });

  test('the recap: set up, published, read by anyone, printed', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    const anonymous = await newPhonePage(browser);
    const recap = await anonymous.goto(url(`/campaigns/${PAST}/recap`));
    assert.equal(recap.status(), 404, 'a draft is nobody else\'s business');

    await page.goto(url('/staff'));
    const row = page.getByRole('row').filter({ has: page.locator(`a[href="/campaigns/${PAST}"]`) });
    await row.getByRole('link', { name: /Edit the recap/ }).click();
    await page.waitForURL(url(`/staff/campaigns/${PAST}/recap`));
    await page.check('recap editor, phone');
    await page.getByLabel('Introduction', { exact: true }).fill('Thank you, **every** host and letter writer!');
    await page.getByLabel('Country whose regions are mapped').selectOption('CA');
    const photos = page.locator('input[name="photo"]');
    if ((await photos.count()) > 0) await photos.first().check();
    const saved = await submit(page, page.getByRole('button', { name: 'Save the recap' }));
    assert.equal(saved.status(), 303);
    const published = await submit(page, page.getByRole('button', { name: 'Publish the recap' }));
    assert.equal(published.status(), 303);
    await page.waitForURL(url(`/campaigns/${PAST}/recap`));
    await page.check('recap as staff see it, phone');

    await anonymous.goto(url(`/campaigns/${PAST}/recap`));
    await anonymous.check('recap, phone');
    await anonymous.getByText('Thank you, every host and letter writer!').waitFor();
    assert.equal(await anonymous.getByRole('img', { name: 'Letters by country' }).count(), 1);
    assert.equal(await anonymous.getByRole('img', { name: 'Letters in Canada, by region' }).count(), 1);
    const letters = Number((await anonymous.locator('[data-total="letters"]').textContent()).replace(/\D/g, ''));
    const tally = await (await fetch(url(`/api/v1/campaigns/${PAST}/tally`))).json();
    assert.equal(letters, tally.totals.letters, 'the recap says what the tally says');
    await anonymous.setViewportSize({ width: 1280, height: 800 });
    await anonymous.check('recap, desktop');
    const href = await anonymous.getByRole('link', { name: /Download the recap to print/ }).getAttribute('href');
    const pdf = await anonymous.request.get(url(href));
    assert.equal(pdf.status(), 200);
    assert.equal(pdf.headers()['content-type'], 'application/pdf');
    await anonymous.context().close();
  });
});
