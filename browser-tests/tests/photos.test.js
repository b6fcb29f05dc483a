// Photos on a phone, in English and in French: a host registers an event that started an hour ago,
// reports with a short story, and on the page that thanks them sends two photos at once (each with
// its own progress bar), and sees both waiting for staff. Staff, signed in with
// their second factor, approve one; the campaign's gallery then shows that one and not the other.
// Every page visited is checked with axe (WCAG 2.2 A/AA), for sideways scrolling and for <html lang>.

import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';

import { appNow, launchBrowser, newPhonePage, randomSuffix, signInWithPassword, STAFF, startApp, submit, totp } from '../lib/harness.js';

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
    highlights: 'A short story (optional)',
    send: 'Send the report',
    files: 'Photos',
    caption: 'Caption',
    consent: 'The people pictured agreed to be shown.',
    sendPhotos: 'Send photos',
    added: '2 photos were sent. Staff will look at them before they are shown.',
    pending: 'Waiting for staff',
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
    highlights: 'Un court récit (facultatif)',
    send: 'Envoyer le bilan',
    files: 'Photos',
    caption: 'Légende',
    consent: 'Les personnes photographiées ont accepté d’être montrées.',
    sendPhotos: 'Envoyer les photos',
    added: '2 photos ont été envoyées. L’équipe les regardera avant qu’elles soient montrées.',
    pending: 'En attente de l’équipe',
  },
};

const PASSPHRASE = 'photos of the lighthouse keepers 17';

// A PNG of `w`×`h` pixels in one colour, made here (no image files in the repository).
function crc32(bytes) {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}
function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}
function png(w, h, [r, g, b]) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(w, 0);
  header.writeUInt32BE(h, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const row = Buffer.alloc(1 + 3 * w);
  for (let x = 0; x < w; x++) row.set([r, g, b], 1 + 3 * x);
  const raw = Buffer.concat(Array.from({ length: h }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

let app;
let browser;
const url = (path) => `${app.baseUrl}${path}`;
const pathOf = (page) => new URL(page.url()).pathname;
// The caption of the two photos each language's host sent (one upload, one caption).
const sent = {};

before(async () => {
  app = await startApp();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await app?.stop();
});

/** Today's times for an event that started an hour ago and ends in two hours (UTC). */
function startedAnHourAgo(now = appNow()) {
  const start = new Date(now.getTime() - 3600_000);
  const end = new Date(now.getTime() + 2 * 3600_000);
  const hhmm = (d) => d.toISOString().slice(11, 16);
  const date = start.toISOString().slice(0, 10);
  let startTime = hhmm(start);
  let endTime = end.toISOString().slice(0, 10) === date ? hhmm(end) : '23:59';
  if (endTime <= startTime) [startTime, endTime] = ['23:00', '23:59'];
  return { date, startTime, endTime };
}

for (const lang of ['en', 'fr']) {
  const t = TEXT[lang];

  describe(`photos in ${lang}`, () => {
    const suffix = randomSuffix();
    const host = { name: `Photographer ${lang} ${suffix}`, email: `photos-${lang}-${suffix}@example.org` };

    test('a host sends two photos with the report and sees them waiting', async () => {
      const page = await newPhonePage(browser, { locale: t.locale });
      try {
        await page.goto(url('/signup'));
        await page.getByLabel(t.displayName, { exact: true }).fill(host.name);
        await page.getByLabel(t.email, { exact: true }).fill(host.email);
        await page.getByLabel(t.newPassword, { exact: true }).fill(PASSPHRASE);
        const signedUp = await submit(page, page.getByRole('button', { name: t.signUp }));
        assert.equal(signedUp.status(), 200);
        await signInWithPassword(page, app, host.email, PASSPHRASE);

        await page.goto(url(`/campaigns/${CURRENT}/events/new`));
        const form = page.locator('main form[method="post"]').first();
        const when = startedAnHourAgo();
        await page.getByLabel(t.eventTitle, { exact: true }).fill(`Choir and letters ${lang} ${suffix}`);
        await page.getByLabel(t.kind, { exact: true }).selectOption('faith');
        await form.locator('input#date').fill(when.date);
        await page.getByLabel(t.start, { exact: true }).fill(when.startTime);
        await page.getByLabel(t.end, { exact: true }).fill(when.endTime);
        await page.getByLabel(t.place, { exact: true }).fill('Stratford');
        await page.getByLabel(t.country, { exact: true }).selectOption('CA');
        await page.getByLabel(t.venue, { exact: true }).fill(`St. James ${suffix}`);
        await page.getByLabel(t.address, { exact: true }).fill(`41 Church Street ${suffix}`);
        await page.locator('main form summary', { hasText: t.more }).click();
        await page.getByLabel(t.timezone, { exact: true }).selectOption('UTC');
        const registered = await submit(page, page.getByRole('button', { name: t.register, exact: true }));
        assert.equal(registered.status(), 303);
        const eventId = pathOf(page).match(/^\/events\/(\d+)$/)[1];

        // The report, with a story; the page that thanks the host has the photo form.
        await page.goto(url(`/events/${eventId}/report`));
        await page.locator('main form.report-form input[name^="letters_"]').first().fill('12');
        await page.locator('main form.report-form input[name="participants"]').fill('6');
        await page.getByLabel(t.highlights, { exact: true }).fill('The choir sang between letters.');
        const reported = await submit(page, page.getByRole('button', { name: t.send, exact: true }));
        assert.equal(reported.status(), 303);
        await page.waitForURL((u) => u.pathname === `/events/${eventId}/reports`);
        await page.check('thanks, with the photo upload form');

        // Two photos at once, as a phone's picker gives them.
        sent[lang] = `Choir ${lang} ${suffix}`;
        await page.getByLabel(t.files, { exact: true }).setInputFiles([
          { name: 'IMG_0001.png', mimeType: 'image/png', buffer: png(64, 48, [200, 30, 30]) },
          { name: 'IMG_0002.png', mimeType: 'image/png', buffer: png(48, 64, [30, 30, 200]) },
        ]);
        await page.getByLabel(t.caption, { exact: true }).fill(sent[lang]);
        await page.getByLabel(t.consent, { exact: true }).check();
        await Promise.all([
          page.waitForURL((u) => u.pathname === `/events/${eventId}/reports` && u.search === '?added=2'),
          page.getByRole('button', { name: t.sendPhotos, exact: true }).click(),
        ]);
        await page.waitForLoadState();
        assert.equal((await page.getByRole('status').innerText()).trim(), t.added);
        await page.check('photos sent from the reports page');
        await page.goto(url(`/events/${eventId}/photos`));
        const waiting = page.locator('main .photo-grid li', { hasText: t.pending });
        assert.equal(await waiting.count(), 2, 'both photos wait for staff');
        await page.check('photos sent, waiting');
      } finally {
        await page.context().close();
      }
    });
  });
}

describe('staff approve one photo; the gallery shows it', () => {
  test('staff approve, the public sees only the approved photo', async () => {
    const staff = await newPhonePage(browser, { locale: 'en-GB' });
    try {
      await staff.goto(url('/signin'));
      await staff.getByLabel('Email address', { exact: true }).fill(STAFF.email);
      await staff.getByLabel('Password', { exact: true }).fill(STAFF.password);
      await submit(staff, staff.getByRole('button', { name: 'Sign in' }));
      await staff.locator('main a[href="/account/second-factor"]').first().click();
      await staff.waitForURL(url('/account/second-factor'));
      const key = (await staff.locator('#second-factor-key').textContent()).trim();
      await staff.getByLabel('Six-digit code from the app', { exact: true }).fill(totp(key));
      const enrolled = await submit(staff, staff.getByRole('button', { name: 'Confirm', exact: true }));
      assert.equal(enrolled.status(), 200);

      await staff.goto(url('/staff/photos'));
      await staff.check('photo queue');
      for (const lang of ['en', 'fr']) {
        // The photos of one upload share its caption: approve the first, leave the second waiting.
        const item = staff.locator('main .photo-grid li', { hasText: sent[lang] }).first();
        const approved = await submit(staff, item.getByRole('button', { name: /^Approve \d+$/ }));
        assert.ok([200, 303].includes(approved.status()), `approving answered ${approved.status()}`);
      }
    } finally {
      await staff.context().close();
    }

    for (const lang of ['en', 'fr']) {
      const visitor = await newPhonePage(browser, { locale: TEXT[lang].locale });
      try {
        await visitor.goto(url(`/campaigns/${CURRENT}/photos`));
        await visitor.check(`gallery (${lang})`);
        const shown = visitor.locator('main .photo-grid li', { hasText: sent[lang] });
        assert.equal(await shown.count(), 1, 'the approved photo is in the gallery, once');
        assert.equal(await shown.locator('img').getAttribute('alt'), sent[lang], 'its alt text is the caption');
      } finally {
        await visitor.context().close();
      }
    }
  });
});
