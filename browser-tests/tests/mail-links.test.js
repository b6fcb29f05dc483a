// Links that arrive by mail, on a phone: confirm the address after signing up, reset a forgotten
// password, sign in without one. The server runs without SMTP, as a newcomer's does, so each
// message is read from the .eml file it writes under <data-dir>/outbox/.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { launchBrowser, linkFromMail, newPhonePage, randomSuffix, signInWithPassword, startApp, submit } from '../lib/harness.js';

const PASSPHRASE = 'letters for lighthouse keepers 17';

let app;
let browser;

before(async () => {
  app = await startApp();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await app?.stop();
});

test('a host confirms the address, resets the password and signs in by link', async () => {
  const email = `links-${randomSuffix()}@example.org`;
  const page = await newPhonePage(browser, { locale: 'en-GB' });
  const main = page.locator('main');
  const url = (p) => `${app.baseUrl}${p}`;
  try {
    await page.goto(url('/signup'));
    await page.getByLabel('Your name', { exact: true }).fill('Lin Host');
    await page.getByLabel('Email address', { exact: true }).fill(email);
    await page.getByLabel('Choose a password', { exact: true }).fill(PASSPHRASE);
    await submit(page, page.getByRole('button', { name: 'Create account' }));
    await main.getByRole('heading', { name: 'Check your email' }).waitFor();
    await signInWithPassword(page, app, email, PASSPHRASE);
    assert.match(await main.textContent(), /Not confirmed yet/);
    await page.check('account page, address not confirmed');

    await page.goto(await linkFromMail(app, email, '/account/verify/'));
    await main.getByRole('heading', { name: 'Address confirmed' }).waitFor();
    await page.check('address confirmed');
    await page.goto(url('/account'));
    assert.doesNotMatch(await main.textContent(), /Not confirmed yet/);

    // Signed out, the password forgotten.
    await submit(page, page.locator('header').getByRole('button', { name: 'Sign out' }));
    await page.goto(url('/signin'));
    await main.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.waitForURL(url('/account/reset'));
    await page.check('password reset request');
    await page.getByLabel('Email address', { exact: true }).fill(email);
    await submit(page, main.getByRole('button', { name: 'Email me the link' }));
    assert.match(await main.textContent(), /a link is on its way/);
    await page.check('reset link sent');

    await page.goto(await linkFromMail(app, email, '/account/reset/'));
    await page.check('new password form');
    await page.getByLabel('Choose a password', { exact: true }).fill('short');
    let response = await submit(page, main.getByRole('button', { name: 'Save the new password' }));
    assert.equal(response.status(), 422);
    await page.check('new password form with an error');
    await page.getByLabel('Choose a password', { exact: true }).fill('a brand new lighthouse 18');
    response = await submit(page, main.getByRole('button', { name: 'Save the new password' }));
    assert.equal(response.status(), 303);
    assert.equal(new URL(page.url()).pathname, '/account');
    assert.match(await main.textContent(), new RegExp(email.replace(/[.]/g, '\\.')));

    // Signed out again: a link instead of the password.
    await submit(page, page.locator('header').getByRole('button', { name: 'Sign out' }));
    await page.goto(url('/signin'));
    await main.getByRole('link', { name: 'Email me a sign-in link' }).click();
    await page.waitForURL(url('/signin/link'));
    await page.getByLabel('Email address', { exact: true }).fill(email);
    await submit(page, main.getByRole('button', { name: 'Email me the link' }));
    const link = await linkFromMail(app, email, '/signin/link/');
    await page.goto(link);
    await page.check('sign in by link');
    response = await submit(page, main.getByRole('button', { name: 'Sign in' }));
    assert.equal(response.status(), 303);
    assert.equal(new URL(page.url()).pathname, '/account');

    // The link worked once.
    const again = await page.goto(link);
    assert.equal(again.status(), 410);
    await main.getByRole('link', { name: 'Ask for a new link' }).waitFor();
    await page.check('spent link');
  } finally {
    await page.context().close();
  }
});
