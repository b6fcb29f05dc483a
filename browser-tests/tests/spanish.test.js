// Spanish, a language that is only a folder under locales/: a visitor on a phone switches to it
// from the footer and reads the demo campaign, one of its cases and its tally in Spanish, with
// Spanish dates and numbers. Every page is checked with axe (WCAG 2.2 A/AA), for sideways
// scrolling and for <html lang="es">.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { expectLanguage, launchBrowser, newPhonePage, startApp } from '../lib/harness.js';

let app;
let browser;

before(async () => {
  app = await startApp({ lang: 'es' });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await app?.stop();
});

test('the footer switches to Español, and three pages read in Spanish', async () => {
  const page = await newPhonePage(browser, { locale: 'en-GB' });
  const url = (p) => `${app.baseUrl}${p}`;
  try {
    await page.goto(url('/campaigns/w4r-2017'));
    const link = page.locator('footer').getByRole('link', { name: 'Español' });
    assert.equal(await link.getAttribute('hreflang'), 'es');
    await link.click();
    await page.waitForURL(url('/campaigns/w4r-2017'));
    expectLanguage(page, 'es');

    // The campaign: its Spanish title, global day and goal the Spanish way.
    await page.getByRole('heading', { level: 1, name: 'Escribe por los Derechos 2017 (demostración)' }).waitFor();
    const campaign = await page.locator('main').textContent();
    assert.match(campaign, /10 de diciembre de 2017/);
    assert.match(campaign, /2\.000\.000/);
    await page.check('campaign page in Spanish');

    // One of its cases, in Spanish (no notice that it is untranslated).
    await page.goto(url('/campaigns/w4r-2017/cases/tomas-arreguin'));
    assert.match(await page.locator('main').textContent(), /Caso ficticio/);
    await page.check('case page in Spanish');

    // The tally: Spanish labels around the demo's totals.
    await page.goto(url('/campaigns/w4r-2017/tally'));
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'es');
    await page.locator('[data-tally="letters"]').waitFor();
    await page.check('tally page in Spanish');
  } finally {
    await page.context().close();
  }
});
