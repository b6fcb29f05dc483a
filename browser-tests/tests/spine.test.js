// The spine of Writeathon, as a person on a phone uses it, in English and in French:
// browse the campaigns, create an account, sign out and in, add a case as staff, switch language.
// Every page visited is checked with axe (WCAG 2.2 A/AA), for sideways scrolling and for <html lang>.

import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';

import { appNow, expectLanguage, launchBrowser, newPhonePage, randomSuffix, signInWithPassword, STAFF, startApp, submit } from '../lib/harness.js';

// The current demo campaign is named after the next 10 December (today included), in UTC.
function currentCampaignSlug(now = appNow()) {
  const year = now.getUTCFullYear();
  const pastGlobalDay = now.getUTCMonth() === 11 && now.getUTCDate() > 10;
  return `w4r-${pastGlobalDay ? year + 1 : year}`;
}
const CURRENT = currentCampaignSlug();

// What a person reads on the page, per language (from locales/*/main.ftl).
const TEXT = {
  en: {
    locale: 'en-GB',
    otherLanguage: { code: 'fr', name: 'Français', navCampaigns: 'Campagnes' },
    displayName: 'Your name',
    email: 'Email address',
    newPassword: 'Choose a password',
    password: 'Password',
    signUp: 'Create account',
    checkEmail: 'Check your email',
    signIn: 'Sign in',
    signOut: 'Sign out',
    emailInvalid: 'Enter an email address like name@example.org.',
    passwordCommon: 'This password is too common; choose one that is harder to guess.',
    signInFailed: 'This email and password do not match an account.',
    addCase: 'Add a case',
    slug: 'Web address (slug)',
    caseName: 'Name of the person or group',
    country: 'Country',
    summary: 'Their story',
    authorityName: 'Name of the authority',
    authorityTitle: 'Their title',
    authorityAddress: 'Postal address',
    salutation: 'Salutation',
    sampleLetter: 'Sample letter',
    solidarity: 'How solidarity messages reach them',
    save: 'Save',
  },
  fr: {
    locale: 'fr-FR',
    otherLanguage: { code: 'en', name: 'English', navCampaigns: 'Campaigns' },
    displayName: 'Votre nom',
    email: 'Adresse électronique',
    newPassword: 'Choisissez un mot de passe',
    password: 'Mot de passe',
    signUp: 'Créer le compte',
    checkEmail: 'Consultez vos courriels',
    signIn: 'Se connecter',
    signOut: 'Se déconnecter',
    emailInvalid: 'Saisissez une adresse électronique comme nom@exemple.org.',
    passwordCommon: 'Ce mot de passe est trop courant ; choisissez-en un plus difficile à deviner.',
    signInFailed: 'Cette adresse et ce mot de passe ne correspondent à aucun compte.',
    addCase: 'Ajouter un cas',
    slug: 'Adresse web (identifiant)',
    caseName: 'Nom de la personne ou du groupe',
    country: 'Pays',
    summary: 'Son histoire',
    authorityName: 'Nom de l’autorité',
    authorityTitle: 'Sa fonction',
    authorityAddress: 'Adresse postale',
    salutation: 'Formule d’appel',
    sampleLetter: 'Modèle de lettre',
    solidarity: 'Comment les messages de solidarité leur parviennent',
    save: 'Enregistrer',
  },
};

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

function pathOf(page) {
  return new URL(page.url()).pathname;
}

for (const lang of ['en', 'fr']) {
  const t = TEXT[lang];

  describe(`spine in ${lang}`, () => {
    let page;
    const url = (path) => `${app.baseUrl}${path}`;

    beforeEach(async () => {
      page = await newPhonePage(browser, { locale: t.locale });
    });

    afterEach(async () => {
      await page.context().close();
    });

    test('a visitor browses the demo campaigns and reads a case', async () => {
      await page.goto(url('/'));
      await page.check('home');
      const main = page.locator('main');
      await main.locator('a[href="/campaigns/w4r-2017"]').waitFor();
      const current = main.locator(`a[href="/campaigns/${CURRENT}"]`);

      await current.click();
      await page.waitForURL(url(`/campaigns/${CURRENT}`));
      await page.check('current campaign');
      const caseLinks = main.locator(`a[href^="/campaigns/${CURRENT}/cases/"]`);
      assert.ok((await caseLinks.count()) > 0, 'the current demo campaign lists its cases');

      const caseName = (await caseLinks.first().textContent()).trim();
      await caseLinks.first().click();
      await page.waitForURL(new RegExp(`/campaigns/${CURRENT}/cases/[a-z0-9-]+$`));
      assert.equal((await page.getByRole('heading', { level: 1 }).textContent()).trim(), caseName);
      await page.check('case page');
    });

    test('a host signs up, signs out and signs in again', async () => {
      const email = `host-${lang}-${randomSuffix()}@example.org`;

      await page.goto(url('/signup'));
      await page.check('sign-up form');

      // First with an invalid email and a common password: the form comes back with the errors.
      await page.getByLabel(t.displayName, { exact: true }).fill(`Host ${lang}`);
      await page.getByLabel(t.email, { exact: true }).fill('not-an-email');
      await page.getByLabel(t.newPassword, { exact: true }).fill('password123');
      let response = await submit(page, page.getByRole('button', { name: t.signUp }));
      assert.equal(response.status(), 422);
      assert.equal(pathOf(page), '/signup');
      const errors = page.locator('.field-errors');
      assert.ok((await errors.count()) >= 2, 'an error for the email and one for the password');
      assert.match(await page.locator('#email-errors').textContent(), new RegExp(literal(t.emailInvalid)));
      assert.match(await page.locator('#password-errors').textContent(), new RegExp(literal(t.passwordCommon)));
      assert.equal(await page.getByLabel(t.email, { exact: true }).getAttribute('aria-invalid'), 'true');
      assert.equal(await page.getByLabel(t.displayName, { exact: true }).inputValue(), `Host ${lang}`);
      assert.equal(await page.getByLabel(t.newPassword, { exact: true }).inputValue(), '', 'password not echoed');
      await page.check('sign-up form with errors');

      // Then properly.
      await page.getByLabel(t.email, { exact: true }).fill(email);
      await page.getByLabel(t.newPassword, { exact: true }).fill(PASSPHRASE);
      response = await submit(page, page.getByRole('button', { name: t.signUp }));
      // Sign-up signs nobody in: it says to check the inbox (the same for a taken address).
      assert.equal(response.status(), 200);
      assert.equal((await page.getByRole('heading', { level: 1 }).textContent()).trim(), t.checkEmail);
      assert.match(await page.locator('main').textContent(), new RegExp(literal(email)));
      await page.check('sign-up sent');
      await signInWithPassword(page, app, email, PASSPHRASE);
      assert.equal(pathOf(page), '/account');
      assert.match(await page.locator('main').textContent(), new RegExp(literal(email)));
      await page.check('account page after sign-up');

      // Sign out with the header's button.
      await submit(page, page.locator('header').getByRole('button', { name: t.signOut }));
      assert.equal(pathOf(page), '/');
      await page.locator('header').getByRole('link', { name: t.signIn }).waitFor();
      assert.equal(await page.locator('header').getByRole('button', { name: t.signOut }).count(), 0);

      // A wrong password is refused on the form itself.
      await page.goto(url('/signin'));
      await page.check('sign-in form');
      await page.getByLabel(t.email, { exact: true }).fill(email);
      await page.getByLabel(t.password, { exact: true }).fill('letters for lighthouse keepers 18');
      response = await submit(page, page.getByRole('button', { name: t.signIn }));
      assert.equal(response.status(), 422);
      assert.equal(pathOf(page), '/signin');
      assert.match(await page.locator('.field-errors').first().textContent(), new RegExp(literal(t.signInFailed)));
      await page.check('sign-in form with an error');

      // The right one signs in.
      await page.getByLabel(t.email, { exact: true }).fill(email);
      await page.getByLabel(t.password, { exact: true }).fill(PASSPHRASE);
      response = await submit(page, page.getByRole('button', { name: t.signIn }));
      assert.equal(response.status(), 303);
      assert.equal(pathOf(page), '/account');
      assert.match(await page.locator('main').textContent(), new RegExp(literal(email)));
      await page.check('account page after sign-in');
    });

    test('staff add a case, and everyone can read it', async () => {
      const slug = `test-case-${lang}-${randomSuffix()}`;
      const name = `Ana Lighthouse ${lang} ${slug.slice(-8)}`;
      const casePath = `/campaigns/${CURRENT}/cases/${slug}`;

      await page.goto(url('/signin'));
      await page.getByLabel(t.email, { exact: true }).fill(STAFF.email);
      await page.getByLabel(t.password, { exact: true }).fill(STAFF.password);
      await submit(page, page.getByRole('button', { name: t.signIn }));
      assert.equal(pathOf(page), '/account');

      await page.goto(url('/staff'));
      await page.check('staff overview');
      const currentRow = page.getByRole('row').filter({ has: page.locator(`a[href="/campaigns/${CURRENT}"]`) });
      await currentRow.getByRole('link', { name: t.addCase }).click();
      await page.waitForURL(url(`/staff/campaigns/${CURRENT}/cases/new`));
      await page.check('new case form');

      await page.getByLabel(t.slug, { exact: true }).fill(slug);
      await page.getByLabel(t.caseName, { exact: true }).fill(name);
      await page.getByLabel(t.country, { exact: true }).selectOption('CA');
      await page.getByLabel(t.summary, { exact: true }).fill(
        'She kept the **Cape Sable light** burning through the storm.\n\n' +
          '<script>window.__xss=1</script>\n\n' +
          'Write to ask for her release.',
      );
      await page.getByLabel(t.authorityName, { exact: true }).fill('Minister Robin Tidewater');
      await page.getByLabel(t.authorityTitle, { exact: true }).fill('Minister of Lights');
      await page.getByLabel(t.authorityAddress, { exact: true }).fill('1 Harbour Road\nHalifax NS B3H 0A1\nCanada');
      await page.getByLabel(t.salutation, { exact: true }).fill('Dear Minister');
      await page.getByLabel(t.sampleLetter, { exact: true }).fill('Please release Ana now.\n\nYours sincerely');
      await page.getByLabel(t.solidarity, { exact: true }).fill('Send cards to the harbour office. <img src=x onerror="window.__xss=2">');
      const response = await submit(page, page.getByRole('button', { name: t.save }));
      assert.equal(response.status(), 303, `saving the case answered ${response.status()}`);
      assert.equal(pathOf(page), casePath);

      await expectCasePage(page, name, 'staff: the new case page');

      // An anonymous visitor in the same language sees it too.
      const visitor = await newPhonePage(browser, { locale: t.locale });
      try {
        await visitor.goto(url(casePath));
        await expectCasePage(visitor, name, 'visitor: the new case page');
        await visitor.goto(url(`/campaigns/${CURRENT}`));
        await visitor.locator(`main a[href="${casePath}"]`).waitFor();
      } finally {
        await visitor.context().close();
      }
    });

    test(`the footer switches to ${t.otherLanguage.name}, and the choice sticks`, async () => {
      const other = t.otherLanguage;
      await page.goto(url('/campaigns/w4r-2017'));
      const link = page.locator('footer').getByRole('link', { name: other.name });
      assert.equal(await link.getAttribute('hreflang'), other.code);
      assert.equal(await link.getAttribute('lang'), other.code);

      await link.click();
      await page.waitForURL(url('/campaigns/w4r-2017'));
      expectLanguage(page, other.code);
      assert.equal(await page.evaluate(() => document.documentElement.lang), other.code);
      await page.check(`campaign page after switching to ${other.code}`);

      await page.goto(url('/'));
      assert.equal(await page.evaluate(() => document.documentElement.lang), other.code);
      await page.locator('header').getByRole('link', { name: other.navCampaigns, exact: true }).waitFor();
      await page.check(`home page after switching to ${other.code}`);
    });
  });
}

/** What a freshly added case shows: its name, Markdown as HTML, the address, and no script. */
async function expectCasePage(page, name, label) {
  assert.equal((await page.getByRole('heading', { level: 1 }).textContent()).trim(), name);
  assert.equal((await page.locator('main .prose strong').textContent()).trim(), 'Cape Sable light');
  const address = await page.locator('main address').innerText();
  for (const line of ['Minister Robin Tidewater', 'Minister of Lights', '1 Harbour Road', 'Halifax NS B3H 0A1', 'Canada']) {
    assert.ok(address.includes(line), `the address shows "${line}": ${JSON.stringify(address)}`);
  }
  assert.ok(address.split('\n').length >= 5, `the address keeps its lines: ${JSON.stringify(address)}`);
  assert.equal(await page.evaluate(() => typeof window.__xss), 'undefined', 'the hostile script did not run');
  assert.equal(await page.locator('main script, main img[onerror]').count(), 0, 'no script survives in the case');
  await page.check(label);
}

function literal(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
