// Report-back and the live tally, on a phone, in English and in French: a host registers an event
// that started an hour ago, reports the letters written at it through the HTML form (a negative
// number first, which the form refuses with a message by the field), and the tally page and the
// campaign page opened by visitors beforehand update without a reload. The same report sent twice
// counts once. The embeddable counter sets no cookie and shows its number inside another site's
// frame. The class names its school and lists it; the public schools list shows its letters and
// nothing of the event's place or host. The finished demo campaign's tally is filled in.
// Every page visited is checked with axe (WCAG 2.2 A/AA), for sideways scrolling and for <html lang>.

import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, test } from 'node:test';

import { appNow, launchBrowser, newPhonePage, randomSuffix, signInWithPassword, startApp, submit } from '../lib/harness.js';

// The current demo campaign is named after the next 10 December (today included), in UTC.
function currentCampaignSlug(now = appNow()) {
  const year = now.getUTCFullYear();
  const pastGlobalDay = now.getUTCMonth() === 11 && now.getUTCDate() > 10;
  return `w4r-${pastGlobalDay ? year + 1 : year}`;
}
const CURRENT = currentCampaignSlug();
const PAST = 'w4r-2017';

/** The server pushes tally updates at most about once a second; give it a few. */
const LIVE_TIMEOUT_MS = 6000;

// What a person reads on the page, per language (from locales/*/main.ftl).
const TEXT = {
  en: {
    locale: 'en-GB',
    displayName: 'Your name',
    email: 'Email address',
    newPassword: 'Choose a password',
    signUp: 'Create account',
    eventTitle: 'Name of the event',
    kind: 'Where it happens',
    start: 'Starts at',
    end: 'Ends at',
    place: 'Town or city',
    country: 'Country',
    venue: 'Name of the place',
    address: 'Street address',
    more: 'More details (optional)',
    timezone: 'Time zone',
    register: 'Register the event',
    reportLink: 'Report your letters',
    reportTitle: 'Report your letters',
    letters: 'Letters to the authority',
    solidarity: 'Solidarity messages',
    participants: 'How many people took part',
    highlights: 'A short story (optional)',
    send: 'Send the report',
    formHasErrors: 'Some answers need another look: see the messages below.',
    countError: 'Enter a whole number from 0 to 100,000.',
    reportsTitle: 'Reports',
    thanks: 'Thank you! Your letters are in the tally.',
    addReport: 'Add a report',
    totals: { letters: 'letters to authorities', solidarity: 'solidarity messages', participants: 'participants' },
    embedLetters: 'letters and messages written',
    story: 'The pupils cheered every tenth letter.',
    schoolLink: 'Your school',
    schoolName: 'School or university',
    schoolListed: 'List our school and its letters on the public schools list',
    schoolSave: 'Save',
    schoolSaved: 'Saved.',
    schoolUnnamed: 'Name the school to list it.',
  },
  fr: {
    locale: 'fr-FR',
    displayName: 'Votre nom',
    email: 'Adresse électronique',
    newPassword: 'Choisissez un mot de passe',
    signUp: 'Créer le compte',
    eventTitle: 'Nom de l’événement',
    kind: 'Où il a lieu',
    start: 'Début',
    end: 'Fin',
    place: 'Ville ou village',
    country: 'Pays',
    venue: 'Nom du lieu',
    address: 'Adresse',
    more: 'Plus de détails (facultatif)',
    timezone: 'Fuseau horaire',
    register: 'Inscrire l’événement',
    reportLink: 'Déclarer vos lettres',
    reportTitle: 'Déclarer vos lettres',
    letters: 'Lettres à l’autorité',
    solidarity: 'Messages de solidarité',
    participants: 'Nombre de participant·e·s',
    highlights: 'Un court récit (facultatif)',
    send: 'Envoyer le bilan',
    formHasErrors: 'Certaines réponses sont à revoir : voyez les messages ci-dessous.',
    // French writes thousands with a (narrow) space: "100,000" would read as one hundred.
    countError: 'Saisissez un nombre entier de 0 à 100 000.',
    reportsTitle: 'Bilans',
    thanks: 'Merci ! Vos lettres sont dans le décompte.',
    addReport: 'Ajouter un bilan',
    totals: { letters: 'lettres aux autorités', solidarity: 'messages de solidarité', participants: 'participant·e·s' },
    embedLetters: 'lettres et messages écrits',
    story: 'Les élèves applaudissaient chaque dixième lettre.',
    schoolLink: 'Votre école',
    schoolName: 'École ou université',
    schoolListed: 'Inscrire notre école et ses lettres sur la liste publique des écoles',
    schoolSave: 'Enregistrer',
    schoolSaved: 'Enregistré.',
    schoolUnnamed: 'Nommez l’école pour l’inscrire sur la liste.',
  },
};

const PASSPHRASE = 'letters for lighthouse keepers 17';

let app;
let browser;
let framer; // another site, on another port, that frames the counter
let framerUrl;
const openPages = new Set();

before(async () => {
  app = await startApp();
  browser = await launchBrowser();
  framer = createServer((req, res) => {
    const { searchParams } = new URL(req.url, 'http://localhost');
    const lang = searchParams.get('lang') === 'fr' ? 'fr' : 'en';
    const src = `${app.baseUrl}/embed/${CURRENT}/counter`;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      `<!doctype html><html lang="${lang}"><head><meta charset="utf-8">` +
        '<meta name="viewport" content="width=device-width, initial-scale=1"><title>Partner</title></head>' +
        `<body><main><h1>Partner</h1><iframe src="${src}" title="Write for Rights" ` +
        'style="width:100%;max-width:320px;height:160px;border:0"></iframe></main></body></html>',
    );
  });
  await new Promise((resolve) => framer.listen(0, '127.0.0.1', resolve));
  framerUrl = `http://127.0.0.1:${framer.address().port}/`;
});

after(async () => {
  for (const page of openPages) await page.context().close().catch(() => {});
  await browser?.close();
  await new Promise((resolve) => (framer ? framer.close(resolve) : resolve()));
  await app?.stop();
});

async function phone(t) {
  const page = await newPhonePage(browser, { locale: t.locale });
  openPages.add(page);
  return page;
}

async function closePhone(page) {
  openPages.delete(page);
  await page.context().close();
}

const url = (path) => `${app.baseUrl}${path}`;
const pathOf = (page) => new URL(page.url()).pathname;
const squash = (s) => s.replace(/\s+/g, ' ').trim();
const digits = (s) => Number(s.replace(/\D/g, ''));

/** Types a number the way a phone's numeric keyboard does: tap the field, then key by key. */
async function typeNumber(field, value) {
  await field.tap();
  await field.fill('');
  await field.pressSequentially(String(value));
}

/** The current campaign's tally as the API gives it. */
async function tally(slug = CURRENT) {
  const response = await fetch(url(`/api/v1/campaigns/${slug}/tally`));
  assert.equal(response.status, 200);
  return (await response.json()).totals;
}

/** Waits until the element's number is `want`; returns how long after `since` it got there. */
async function waitForNumber(page, selector, want, since = Date.now()) {
  try {
    await page.waitForFunction(
      ([sel, n]) => {
        const el = document.querySelector(sel);
        return el && Number(el.textContent.replace(/\D/g, '')) === n;
      },
      [selector, want],
      { timeout: LIVE_TIMEOUT_MS },
    );
  } catch {
    const shown = await page.locator(selector).innerText();
    assert.fail(`${selector} on ${pathOf(page)} shows ${shown}, not ${want}, ${LIVE_TIMEOUT_MS / 1000} s after the report`);
  }
  return Date.now() - since;
}

/**
 * Waits until `shown()` equals the campaign's written sum (letters and solidarity) as the API
 * gives it: both come from the same cached tally, rebuilt about once a second after a change.
 */
async function expectWrittenSum(shown, label) {
  const deadline = Date.now() + LIVE_TIMEOUT_MS;
  let last;
  for (;;) {
    const totals = await tally();
    last = { shown: await shown(), want: totals.letters + totals.solidarity };
    if (last.shown === last.want) return last.want;
    if (Date.now() > deadline) assert.fail(`${label} shows ${last.shown}, the tally says ${last.want}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A visitor's page, opened now, whose live stream is connected before it returns. */
async function liveVisitor(t, path, label) {
  const page = await phone(t);
  const stream = page.waitForResponse((r) => r.url().endsWith(`/campaigns/${CURRENT}/tally/stream?view=summary`));
  await page.goto(url(path));
  const response = await stream;
  assert.equal(response.status(), 200, `${label}: the tally stream answered ${response.status()}`);
  assert.match(response.headers()['content-type'] ?? '', /^text\/event-stream/);
  await page.check(label);
  // Marks this document: a reload would lose it.
  await page.evaluate(() => {
    window.sameDocument = true;
  });
  return page;
}

async function stillSameDocument(page) {
  return page.evaluate(() => window.sameDocument === true);
}

/** The event's totals on its reports page: { letters, solidarity, participants }. */
async function listTotals(page, t) {
  const pairs = await page.locator('main dl.facts').evaluate((dl) =>
    [...dl.querySelectorAll('dt')].map((dt) => [dt.textContent.trim(), dt.nextElementSibling?.textContent ?? '']),
  );
  const byLabel = new Map(pairs);
  const totals = {};
  for (const [key, label] of Object.entries(t.totals)) {
    assert.ok(byLabel.has(label), `the reports page lists "${label}": ${JSON.stringify(pairs)}`);
    totals[key] = digits(byLabel.get(label));
  }
  return totals;
}

/** Today's times for an event that started an hour ago and ends in two hours (UTC). */
function startedAnHourAgo(now = appNow()) {
  const start = new Date(now.getTime() - 3600_000);
  const end = new Date(now.getTime() + 2 * 3600_000);
  const hhmm = (d) => d.toISOString().slice(11, 16);
  const date = start.toISOString().slice(0, 10);
  let startTime = hhmm(start);
  // Events end on the day they start: near midnight, stop at 23:59.
  let endTime = end.toISOString().slice(0, 10) === date ? hhmm(end) : '23:59';
  if (endTime <= startTime) [startTime, endTime] = ['23:00', '23:59'];
  return { date, startTime, endTime };
}

async function registerStartedEvent(page, t, ev) {
  await page.goto(url(`/campaigns/${CURRENT}/events/new`));
  await page.check('host form');
  const form = page.locator('main form[method="post"]').first();
  const when = startedAnHourAgo();
  await page.getByLabel(t.eventTitle, { exact: true }).fill(ev.title);
  await page.getByLabel(t.kind, { exact: true }).selectOption('school');
  await form.locator('input#date').fill(when.date);
  await page.getByLabel(t.start, { exact: true }).fill(when.startTime);
  await page.getByLabel(t.end, { exact: true }).fill(when.endTime);
  await page.getByLabel(t.place, { exact: true }).fill('Halifax');
  await page.getByLabel(t.country, { exact: true }).selectOption('CA');
  await page.getByLabel(t.venue, { exact: true }).fill(ev.venue);
  await page.getByLabel(t.address, { exact: true }).fill(ev.address);
  await page.locator('main form summary', { hasText: t.more }).click();
  await page.getByLabel(t.timezone, { exact: true }).selectOption('UTC');
  const response = await submit(page, page.getByRole('button', { name: t.register, exact: true }));
  const errors = await page.locator('.field-errors').allInnerTexts();
  assert.equal(response.status(), 303, `registering the event answered ${response.status()}: ${errors.join(' | ')}`);
  const match = pathOf(page).match(/^\/events\/(\d+)$/);
  assert.ok(match, `registering lands on the event page, not ${page.url()}`);
  return match[1];
}

for (const lang of ['en', 'fr']) {
  const t = TEXT[lang];

  describe(`reports in ${lang}`, () => {
    const suffix = randomSuffix();
    const host = { name: `Reporter ${lang} ${suffix}`, email: `reporter-${lang}-${suffix}@example.org` };
    const ev = {
      title: `Letters at school ${lang} ${suffix}`,
      venue: `Harbour School ${suffix}`,
      address: `3 School Road ${suffix}`,
    };
    let hostPage;
    let eventId;
    // What the first test reported, for the tests after it.
    const reported = { letters: 0, solidarity: 0, participants: 0 };

    after(async () => {
      if (hostPage) await closePhone(hostPage);
    });

    test('a host reports from the event page; the tally and the campaign page update live', async (ctx) => {
      hostPage = await phone(t);
      const page = hostPage;
      const findings = []; // app bugs that should not hide the checks after them

      await page.goto(url('/signup'));
      await page.check('sign-up form');
      await page.getByLabel(t.displayName, { exact: true }).fill(host.name);
      await page.getByLabel(t.email, { exact: true }).fill(host.email);
      await page.getByLabel(t.newPassword, { exact: true }).fill(PASSPHRASE);
      const signedUp = await submit(page, page.getByRole('button', { name: t.signUp }));
      assert.equal(signedUp.status(), 200, `signing up answered ${signedUp.status()}`);
      await signInWithPassword(page, app, host.email, PASSPHRASE);

      eventId = await registerStartedEvent(page, t, ev);
      await page.check('event page (host, started)');

      // Visitors open the tally page and the campaign page before anything is reported.
      const before = await tally();
      const tallyPage = await liveVisitor(t, `/campaigns/${CURRENT}/tally`, 'tally page');
      assert.equal(digits(await tallyPage.locator('[data-tally="letters"]').innerText()), before.letters);
      const homePage = await liveVisitor(t, `/campaigns/${CURRENT}`, 'campaign page');
      assert.equal(
        digits(await homePage.locator('[data-tally="sum"]').innerText()),
        before.letters + before.solidarity,
      );

      // The host follows "Report your letters".
      await page.locator('main').getByRole('link', { name: t.reportLink, exact: true }).click();
      await page.waitForURL(url(`/events/${eventId}/report`));
      assert.equal((await page.getByRole('heading', { level: 1 }).innerText()).trim(), t.reportTitle);
      await page.check('report form');

      // Every count field is a number field that brings up the numeric keyboard.
      const counts = page.locator(
        'main form.report-form :is(input[name^="letters_"], input[name^="solidarity_"], input[name="participants"])',
      );
      const countFields = await counts.evaluateAll((els) =>
        els.map((el) => ({ name: el.name, type: el.type, inputmode: el.getAttribute('inputmode') })),
      );
      const caseRows = await page.locator('main form.report-form fieldset').count();
      assert.equal(countFields.length, 2 * caseRows + 1, `two counts per case and the participants: ${JSON.stringify(countFields)}`);
      for (const f of countFields) {
        assert.deepEqual([f.type, f.inputmode], ['number', 'numeric'], `${f.name} brings up the numeric keyboard: ${JSON.stringify(f)}`);
      }
      const rows = page.locator('main form.report-form fieldset');
      assert.ok((await rows.count()) >= 2, 'one row per case');
      const caseA = rows.nth(0);
      const caseB = rows.nth(1);
      const caseNames = [squash(await caseA.locator('legend').innerText()), squash(await caseB.locator('legend').innerText())];
      const lettersA = page.getByRole('group', { name: caseNames[0], exact: true }).getByLabel(t.letters, { exact: true });
      const solidarityA = page.getByRole('group', { name: caseNames[0], exact: true }).getByLabel(t.solidarity, { exact: true });
      const lettersB = page.getByRole('group', { name: caseNames[1], exact: true }).getByLabel(t.letters, { exact: true });
      const solidarityB = page.getByRole('group', { name: caseNames[1], exact: true }).getByLabel(t.solidarity, { exact: true });
      const participants = page.getByLabel(t.participants, { exact: true });

      // A negative number is refused, with a message by the field; nothing is counted.
      await typeNumber(lettersA, -5);
      await typeNumber(participants, 3);
      const refused = await submit(page, page.getByRole('button', { name: t.send, exact: true }));
      assert.equal(refused.status(), 422, `a negative count answered ${refused.status()}`);
      assert.equal(squash(await page.locator('main [role="alert"]').innerText()), t.formHasErrors);
      const lettersAId = await lettersA.getAttribute('id');
      assert.equal(await lettersA.getAttribute('aria-invalid'), 'true');
      const describedBy = (await lettersA.getAttribute('aria-describedby')) ?? '';
      assert.ok(describedBy.split(' ').includes(`${lettersAId}-errors`), `the field points at its message: ${describedBy}`);
      const message = squash(await page.locator(`#${lettersAId}-errors`).innerText());
      // The message sits with the field, in its case's row.
      const near = await page.locator(`#${lettersAId}-errors`).evaluate((ul, id) => {
        const field = document.getElementById(id);
        return ul.closest('fieldset') === field.closest('fieldset') && ul.closest('.field') === field.closest('.field');
      }, lettersAId);
      assert.ok(near, 'the message is by the field');
      assert.equal(await lettersA.inputValue(), '-5', 'what was typed stays');
      await page.check('report form with an error (422)');
      assert.equal((await tally()).letters, before.letters, 'a refused report counts nothing');
      // Narrow and ordinary no-break spaces both group French thousands.
      if (message.replace(/[\u202f\u00a0]/g, ' ') !== t.countError) findings.push(`the message by a negative count reads "${message}", expected "${t.countError}"`);

      // Then a good report: two cases, and how many took part.
      await typeNumber(lettersA, 12);
      await typeNumber(solidarityA, 5);
      await typeNumber(lettersB, 7);
      await typeNumber(solidarityB, 3);
      await typeNumber(participants, 9);
      await page.getByLabel(t.highlights, { exact: true }).fill(t.story);
      const sent = await submit(page, page.getByRole('button', { name: t.send, exact: true }));
      const sentAt = Date.now();
      // The visitors' numbers must move without a reload: watch them while the host reads on.
      const settle = (promise) => promise.then((ms) => ({ ms }), (err) => ({ err }));
      const liveTally = settle(waitForNumber(tallyPage, '[data-tally="letters"]', before.letters + 19, sentAt));
      const liveHome = settle(waitForNumber(homePage, '[data-tally="sum"]', before.letters + before.solidarity + 27, sentAt));
      assert.equal(sent.status(), 303, `the report answered ${sent.status()}`);
      assert.equal(pathOf(page), `/events/${eventId}/reports`);
      const thanks = squash(await page.locator('main [role="status"]').innerText());
      assert.ok(thanks.startsWith(squash(t.thanks)), `the host is thanked: ${thanks}`);
      assert.deepEqual(await listTotals(page, t), { letters: 19, solidarity: 8, participants: 9 });
      assert.ok((await page.locator('main').innerText()).includes(t.story), 'the story is shown with the report');
      await page.check('reports page (thanks)');
      Object.assign(reported, { letters: 19, solidarity: 8, participants: 9 });

      const [tallyLive, homeLive] = await Promise.all([liveTally, liveHome]);
      if (tallyLive.err) throw tallyLive.err;
      if (homeLive.err) throw homeLive.err;
      assert.equal(digits(await tallyPage.locator('[data-tally="solidarity"]').innerText()), before.solidarity + 8);
      assert.ok(await stillSameDocument(tallyPage), 'the tally page was not reloaded');
      assert.ok(await stillSameDocument(homePage), 'the campaign page was not reloaded');
      await tallyPage.check('tally page (updated live)');
      await homePage.check('campaign page (updated live)');
      ctx.diagnostic(
        `live update (${lang}): tally page ${tallyLive.ms} ms, campaign page ${homeLive.ms} ms after the report was answered`,
      );
      await closePhone(tallyPage);
      await closePhone(homePage);

      assert.deepEqual(findings, [], findings.join('\n'));
    });

    test('the same report sent twice counts once', async () => {
      assert.ok(eventId && reported.letters, 'needs the report of the previous test');
      const page = hostPage;
      await page.goto(url(`/events/${eventId}/reports`));
      await page.locator('main').getByRole('link', { name: t.addReport, exact: true }).click();
      await page.waitForURL(url(`/events/${eventId}/report`));
      await page.check('report form (second report)');
      const form = page.locator('main form.report-form');
      const lettersA = form.locator('fieldset').nth(0).getByLabel(t.letters, { exact: true });
      await typeNumber(lettersA, 4);
      await typeNumber(page.getByLabel(t.participants, { exact: true }), 2);
      const data = await form.evaluate((f) => Object.fromEntries(new FormData(f)));
      assert.ok(data.form_token, 'the form carries a one-time token');
      const action = url(await form.getAttribute('action'));

      // A double tap: the form's own submission and the same form data at the same moment.
      const [first, twin] = await Promise.all([
        submit(page, page.getByRole('button', { name: t.send, exact: true })),
        page.request.post(action, { form: data, maxRedirects: 0 }),
      ]);
      assert.equal(first.status(), 303, `the report answered ${first.status()}`);
      assert.equal(twin.status(), 303, `the same report at the same time answered ${twin.status()}`);
      // And a browser retry a moment later.
      const retry = await page.request.post(action, { form: data, maxRedirects: 0 });
      assert.equal(retry.status(), 303, `the same report again answered ${retry.status()}`);
      assert.equal(retry.headers().location, `/events/${eventId}/reports?thanks=1`);

      await page.goto(url(`/events/${eventId}/reports`));
      assert.deepEqual(await listTotals(page, t), {
        letters: reported.letters + 4,
        solidarity: reported.solidarity,
        participants: reported.participants + 2,
      });
      assert.equal(await page.locator('main ol.results > li').count(), 2, 'two reports, not three or four');
      await page.check('reports page (two reports)');
    });

    test('a class names its school and lists it; the public schools list shows its letters', async () => {
      assert.ok(eventId && reported.letters, 'needs the reports of the tests before');
      const page = hostPage;
      await page.goto(url(`/events/${eventId}`));
      await page.locator('main').getByRole('link', { name: t.schoolLink, exact: true }).click();
      await page.waitForURL(url(`/events/${eventId}/school`));
      await page.check('school form');
      // Listed without a name: the form is shown again, saying what is missing.
      await page.getByLabel(t.schoolListed, { exact: true }).check();
      const refused = await submit(page, page.getByRole('button', { name: t.schoolSave, exact: true }));
      assert.equal(refused.status(), 422, `an unnamed listed school answered ${refused.status()}`);
      const messages = await page.locator('main .field-errors').allInnerTexts();
      assert.ok(messages.map(squash).includes(t.schoolUnnamed), `the message by the field: ${messages.join(' | ')}`);
      await page.check('school form with a message');

      const school = `Harbourview Academy ${suffix}`;
      await page.getByLabel(t.schoolName, { exact: true }).fill(school);
      await page.getByLabel(t.schoolListed, { exact: true }).check();
      const saved = await submit(page, page.getByRole('button', { name: t.schoolSave, exact: true }));
      assert.equal(saved.status(), 303, `saving the school answered ${saved.status()}`);
      await page.waitForURL(url(`/events/${eventId}/school?saved=1`));
      assert.equal(squash(await page.locator('main [role="status"]').innerText()), t.schoolSaved);
      assert.equal(await page.getByLabel(t.schoolName, { exact: true }).inputValue(), school);
      await page.check('school form, saved');

      // Anyone: the school in its region with every letter its classes reported (two reports).
      const visitor = await phone(t);
      await visitor.goto(url(`/campaigns/${CURRENT}/schools?country=CA`));
      const row = visitor.locator('main table tbody tr', { has: visitor.locator('th', { hasText: school }) });
      assert.equal(await row.count(), 1, 'the school is listed once');
      assert.equal(digits(await row.locator('td').first().innerText()), reported.letters + 4);
      const shown = await visitor.locator('main').innerText();
      for (const secret of [ev.venue, ev.address, host.name, host.email]) {
        assert.ok(!shown.includes(secret), `the schools list shows nothing of the event's place or host: ${secret}`);
      }
      await visitor.check('schools list');
      await closePhone(visitor);
    });

    test('the embeddable counter sets no cookie and shows its number in another site’s frame', async () => {
      const direct = await fetch(url(`/embed/${CURRENT}/counter`), { headers: { 'accept-language': t.locale } });
      assert.equal(direct.status, 200);
      assert.equal(direct.headers.get('set-cookie'), null, 'the counter sets no cookie');
      assert.equal(direct.headers.get('x-frame-options'), null, 'the counter may be framed');
      assert.match(direct.headers.get('content-security-policy') ?? '', /frame-ancestors \*/);
      const page = await phone(t);
      await page.goto(url(`/embed/${CURRENT}/counter`));
      const want = await expectWrittenSum(
        async () => digits(await page.locator('[data-tally="sum"]').innerText()),
        'the counter',
      );
      assert.ok(want >= reported.letters + reported.solidarity, `the counter counts this host's report: ${want}`);
      assert.equal(squash(await page.locator('main').innerText()).includes(t.embedLetters), true);
      await page.check('embedded counter');
      assert.deepEqual(await page.context().cookies(), [], 'no cookie after visiting the counter');
      await closePhone(page);

      const partner = await phone(t);
      const framed = partner.waitForResponse((r) => r.url() === url(`/embed/${CURRENT}/counter`));
      await partner.goto(`${framerUrl}?lang=${lang}`);
      const frameResponse = await framed;
      assert.equal(frameResponse.status(), 200);
      assert.equal(await frameResponse.headerValue('set-cookie'), null, 'the framed counter sets no cookie');
      const frame = partner.frameLocator('iframe');
      await frame.locator('[data-tally="sum"]').waitFor({ timeout: 5000 });
      await expectWrittenSum(async () => digits(await frame.locator('[data-tally="sum"]').innerText()), 'the framed counter');
      assert.equal(await frame.locator('html').getAttribute('lang'), lang);
      await partner.check('partner page framing the counter');
      assert.deepEqual(await partner.context().cookies(), [], 'no cookie from the framed counter');
      await closePhone(partner);
    });
  });
}

test('the finished demo campaign shows a filled tally', async () => {
  const totals = await tally(PAST);
  assert.ok(totals.events_reported > 200, `demo events reported: ${JSON.stringify(totals)}`);
  assert.ok(totals.events_reported < totals.events_registered, 'not every event reported');
  assert.ok(totals.solidarity > 0 && totals.solidarity < totals.letters, JSON.stringify(totals));
  for (const lang of ['en', 'fr']) {
    const page = await phone(TEXT[lang]);
    await page.goto(url(`/campaigns/${PAST}/tally`));
    assert.equal(digits(await page.locator('[data-tally="letters"]').innerText()), totals.letters);
    assert.ok((await page.locator('main figure').count()) >= 3, 'charts by case, country and kind');
    await page.check(`finished campaign tally (${lang})`);
    await closePhone(page);
  }
});
