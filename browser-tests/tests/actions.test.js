// An online action on a phone: open a case, add one's name (the country comes from the
// browser's region), read the confirmation mail (.eml outbox), press the button, and see the
// tally's online counter move. In English, French and Spanish; axe checks every page.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { launchBrowser, linkFromMail, newPhonePage, randomSuffix, startApp, submit } from '../lib/harness.js';

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

const WORDS = {
  en: { locale: 'en-CA', country: 'CA', name: 'Your name', email: 'Email address', act: 'Add my name', check: 'Check your email', confirm: 'Confirm my action', counted: 'your action is counted' },
  fr: { locale: 'fr-BE', country: 'BE', name: 'Votre nom', email: 'Adresse électronique', act: 'Ajouter mon nom', check: 'Consultez vos courriels', confirm: 'Confirmer mon action', counted: 'votre action est comptée' },
  es: { locale: 'es-MX', country: 'MX', name: 'Tu nombre', email: 'Correo electrónico', act: 'Añadir mi nombre', check: 'Revisa tu correo', confirm: 'Confirmar mi acción', counted: 'tu acción está contada' },
};

async function onlineTotal(slug) {
  const r = await fetch(`${app.baseUrl}/api/v1/campaigns/${slug}/tally`);
  return (await r.json()).totals.online;
}

for (const [lang, w] of Object.entries(WORDS)) {
  test(`someone acts on a case from a phone and confirms by mail (${lang})`, async () => {
    const campaigns = await (await fetch(`${app.baseUrl}/api/v1/campaigns`)).json();
    const slug = campaigns.map((c) => c.slug).filter((s) => s !== 'w4r-2017')[0];
    const cases = await (await fetch(`${app.baseUrl}/api/v1/campaigns/${slug}/cases`)).json();
    const email = `signer-${lang}-${randomSuffix()}@example.org`;
    const page = await newPhonePage(browser, { locale: w.locale });
    const main = page.locator('main');
    try {
      await page.goto(`${app.baseUrl}/campaigns/${slug}/cases/${cases[0].slug}`);
      await page.check(`case page with the action form (${lang})`);
      const form = main.locator('section.act form');
      assert.equal(await form.locator('select[name="country"]').inputValue(), w.country, 'country from the browser');
      await form.getByLabel(w.name, { exact: true }).fill('Ana Lima');
      await form.getByLabel(w.email, { exact: true }).fill(email);
      const before = await onlineTotal(slug);
      await submit(page, form.getByRole('button', { name: w.act }));
      await main.getByRole('heading', { name: w.check }).waitFor();
      await page.check(`check your email (${lang})`);

      await page.goto(await linkFromMail(app, email, '/actions/confirm/'));
      await page.check(`confirmation page (${lang})`);
      assert.equal(await onlineTotal(slug), before, 'opening the link counts nothing');
      await submit(page, main.getByRole('button', { name: w.confirm }));
      assert.match(await main.textContent(), new RegExp(w.counted));
      await page.check(`confirmed (${lang})`);

      await page.goto(`${app.baseUrl}/campaigns/${slug}/tally`);
      const counter = main.locator('[data-tally="online"]');
      const digits = async () => Number((await counter.textContent()).replace(/\D/g, ''));
      for (let i = 0; i < 30 && (await digits()) < before + 1; i++) {
        await page.waitForTimeout(200);
        await page.reload();
      }
      assert.equal(await digits(), before + 1, 'the counter moved');
      await page.check(`tally with the online count (${lang})`);
    } finally {
      await page.context().close();
    }
  });
}
