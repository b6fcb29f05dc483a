// Webhooks, as an administrator sets them up on a phone and checks them on a desktop: sign in
// with the second factor, add a webhook to a receiver on this machine (the server allows private
// addresses here), see the signing secret once, send a test, and watch it delivered — the
// receiver checks the Standard Webhooks signature with that secret. Every page is checked with
// axe (WCAG 2.2 A/AA), for sideways scrolling and for <html lang>.

import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { after, before, describe, test } from 'node:test';

import { ADMIN, freePort, launchBrowser, newPhonePage, startApp, submit, totp } from '../lib/harness.js';

/** A webhook receiver: every request's headers and body, in order. */
async function startReceiver() {
  const received = [];
  const port = await freePort();
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body, path: req.url });
      res.writeHead(204).end();
    });
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${port}/hook`, received, close: () => server.close() };
}

/** The Standard Webhooks signature of a delivery, with the `whsec_` secret shown once. */
function signature(secret, { headers, body }) {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const signed = `${headers['webhook-id']}.${headers['webhook-timestamp']}.${body}`;
  return `v1,${createHmac('sha256', key).update(signed).digest('base64')}`;
}

describe('webhooks', () => {
  let app;
  let browser;
  let page;
  let receiver;
  const url = (p) => new URL(p, app.baseUrl).toString();

  before(async () => {
    receiver = await startReceiver();
    app = await startApp({ lang: 'en', serverArgs: ['--webhook-allow-private'] });
    browser = await launchBrowser();
    page = await newPhonePage(browser);
  });

  after(async () => {
    await browser?.close();
    await app?.stop();
    receiver?.close();
  });

  test('an administrator adds a webhook, sends a test, and it arrives signed', async () => {
    await page.goto(url('/signin'));
    await page.getByLabel('Email address', { exact: true }).fill(ADMIN.email);
    await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
    await submit(page, page.getByRole('button', { name: 'Sign in' }));
    await page.locator('main a[href="/account/second-factor"]').first().click();
    await page.waitForURL(url('/account/second-factor'));
    const key = (await page.locator('#second-factor-key').textContent()).trim();
    await page.getByLabel('Six-digit code from the app', { exact: true }).fill(totp(key));
    await submit(page, page.getByRole('button', { name: 'Confirm', exact: true }));

    await page.goto(url('/admin/webhooks'));
    await page.check('webhooks, phone');
    await page.getByLabel('Address (URL)').fill(receiver.url);
    await page.getByLabel('Description').fill('Our CRM');
    await page.getByLabel('report.created').check();
    // The answer to the form is the new webhook's page, the only one that shows its secret.
    const added = await submit(page, page.getByRole('button', { name: 'Add a webhook' }));
    assert.equal(added.status(), 200);
    await page.locator('#webhook-secret').waitFor();
    await page.check('a new webhook with its secret, phone');
    const secret = (await page.locator('#webhook-secret code').textContent()).trim();
    assert.match(secret, /^whsec_/);
    const action = await page.locator('form[action$="/test"]').getAttribute('action');
    const hookPage = url(action.replace(/\/test$/, ''));

    await submit(page, page.getByRole('button', { name: 'Send a test' }));
    for (let i = 0; i < 100 && receiver.received.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(receiver.received.length, 1, 'the test delivery arrived');
    const delivery = receiver.received[0];
    assert.equal(delivery.path, '/hook');
    assert.ok(delivery.headers['webhook-id']);
    assert.equal(delivery.headers['webhook-signature'], signature(secret, delivery), 'signed with the secret shown');

    // The delivery is listed as delivered; the secret is not shown again.
    let delivered = false;
    for (let i = 0; i < 50 && !delivered; i++) {
      await page.goto(hookPage);
      delivered = (await page.locator('#webhook-deliveries').getByText('delivered').count()) > 0;
      if (!delivered) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.ok(delivered, 'the delivery shows as delivered');
    assert.equal(await page.locator('#webhook-secret').count(), 0, 'the secret is shown only once');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.check('a webhook and its deliveries, desktop');
    await page.goto(url('/admin/webhooks'));
    await page.getByRole('cell', { name: /Our CRM|127\.0\.0\.1/ }).first().waitFor();
    await page.check('webhooks, desktop');
  });
});
