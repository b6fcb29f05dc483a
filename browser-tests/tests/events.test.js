// Events, as people on a phone use them, in English and in French: a host registers a public
// event by picking a town from the place suggestions, visitors find it by town and sign up (the
// third joins the waiting list and moves up when the first cancels), a private home event stays
// hidden, and the finder works without JavaScript.
// Every page visited is checked with axe (WCAG 2.2 A/AA), for sideways scrolling and for <html lang>.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { appNow, launchBrowser, linkFromMail, newPhonePage, randomSuffix, signInWithPassword, startApp, stayLocal, submit } from '../lib/harness.js';

// The current demo campaign is named after the next 10 December (today included), in UTC.
function currentCampaignSlug(now = appNow()) {
  const year = now.getUTCFullYear();
  const pastGlobalDay = now.getUTCMonth() === 11 && now.getUTCDate() > 10;
  return `w4r-${pastGlobalDay ? year + 1 : year}`;
}
const CURRENT = currentCampaignSlug();
const GLOBAL_DAY = `${CURRENT.slice(4)}-12-10`;

// The two budgets of the host form.
const MAX_VISIBLE_FIELDS = 12; // before "More details"
const MAX_PAGE_LOADS = 3; // campaign page, form, event page

// What a person reads on the page, per language (from locales/*/main.ftl), and the town they use.
const TEXT = {
  en: {
    locale: 'en-GB',
    town: "St. John's",
    displayName: 'Your name',
    email: 'Email address',
    newPassword: 'Choose a password',
    signUp: 'Create account',
    hostEvent: 'Host an event',
    findEvents: 'Find an event near you',
    eventTitle: 'Name of the event',
    kind: 'Where it happens',
    public: 'Anyone: list it publicly so people can find it and sign up',
    private: 'Only people I invite: never listed, counted only in the totals',
    date: 'Date',
    start: 'Starts at',
    end: 'Ends at',
    place: 'Town or city',
    country: 'Country',
    venue: 'Name of the place',
    address: 'Street address',
    more: 'More details (optional)',
    capacity: 'How many people can come',
    register: 'Register the event',
    privateBadge: 'Private',
    finderPlace: 'Town or city',
    finderSubmit: 'Find events',
    resultsNear: (place) => `Events near ${place}`,
    mapFailed: 'The detailed map could not be loaded, so it shows country borders only. Every event is in the list.',
    rsvpSubmit: 'Sign me up',
    confirmedTitle: 'You are coming!',
    waitlistedTitle: 'You are on the waiting list',
    cancelRsvp: 'Cancel my sign-up',
    cancelled: 'Your sign-up is cancelled.',
    status: { confirmed: 'coming', waitlisted: 'on the waiting list', cancelled: 'cancelled' },
    comingCount: (n) => (n === 1 ? 'One person is coming' : `${n} people are coming`),
    waitlistCount: (n) => `${n} on the waiting list`,
    attendees: 'Attendees',
    notFound: 'Page not found',
  },
  fr: {
    locale: 'fr-FR',
    town: 'Rimouski',
    displayName: 'Votre nom',
    email: 'Adresse électronique',
    newPassword: 'Choisissez un mot de passe',
    signUp: 'Créer le compte',
    hostEvent: 'Organiser un événement',
    findEvents: 'Trouver un événement près de chez vous',
    eventTitle: 'Nom de l’événement',
    kind: 'Où il a lieu',
    public: 'Tout le monde : le publier pour qu’on puisse le trouver et s’inscrire',
    private: 'Seulement les personnes que j’invite : jamais publié, compté seulement dans les totaux',
    date: 'Date',
    start: 'Début',
    end: 'Fin',
    place: 'Ville ou village',
    country: 'Pays',
    venue: 'Nom du lieu',
    address: 'Adresse',
    more: 'Plus de détails (facultatif)',
    capacity: 'Nombre de places',
    register: 'Inscrire l’événement',
    privateBadge: 'Privé',
    finderPlace: 'Ville ou village',
    finderSubmit: 'Trouver des événements',
    resultsNear: (place) => `Événements près de ${place}`,
    mapFailed: 'La carte détaillée n’a pas pu être chargée : elle ne montre que les frontières. Tous les événements sont dans la liste.',
    rsvpSubmit: 'M’inscrire',
    confirmedTitle: 'Vous venez !',
    waitlistedTitle: 'Vous êtes sur la liste d’attente',
    cancelRsvp: 'Annuler mon inscription',
    cancelled: 'Votre inscription est annulée.',
    status: { confirmed: 'vient', waitlisted: 'sur la liste d’attente', cancelled: 'annulée' },
    comingCount: (n) => (n === 1 ? 'Une personne vient' : `${n} personnes viennent`),
    waitlistCount: (n) => `${n} sur la liste d’attente`,
    attendees: 'Personnes inscrites',
    notFound: 'Page introuvable',
  },
};

const PASSPHRASE = 'letters for lighthouse keepers 17';

let app;
let browser;
const openPages = new Set();

before(async () => {
  app = await startApp();
  browser = await launchBrowser();
});

after(async () => {
  for (const page of openPages) await page.context().close().catch(() => {});
  await browser?.close();
  await app?.stop();
});

/** A phone in this language, kept off the network (map tiles fail at once, as offline). */
async function phone(t, options = {}) {
  const page = await newPhonePage(browser, { locale: t.locale, ...options });
  await stayLocal(page.context(), app.baseUrl);
  openPages.add(page);
  return page;
}

async function closePhone(page) {
  openPages.delete(page);
  await page.context().close();
}

const url = (path) => `${app.baseUrl}${path}`;

function pathOf(page) {
  return new URL(page.url()).pathname;
}

async function mainText(page) {
  return (await page.locator('main').innerText()).replace(/\s+/g, ' ');
}

async function h1(page) {
  return (await page.getByRole('heading', { level: 1 }).innerText()).trim();
}

/**
 * Types `town` into the place box key by key, waits for the suggestion that starts with it and
 * picks it the way a keyboard user does (Playwright cannot click a datalist option): the box gets
 * the option's exact label, with input and change events. Returns the label.
 */
async function pickPlace(page, box, town) {
  await box.click();
  await box.pressSequentially(town, { delay: 20 });
  const option = page.locator(`#${await box.getAttribute('list')} option`).filter({
    has: page.locator(`xpath=self::*[starts-with(@value, ${xpathLiteral(`${town},`)})]`),
  });
  await option.first().waitFor({ state: 'attached', timeout: 5000 });
  const label = await option.first().getAttribute('value');
  await box.fill(label);
  await box.dispatchEvent('change');
  return label;
}

function xpathLiteral(text) {
  if (!text.includes("'")) return `'${text}'`;
  if (!text.includes('"')) return `"${text}"`;
  return `concat('${text.replace(/'/g, `', "'", '`)}')`;
}

/** The form's fields a person sees and fills (radio groups count once), before `<details>`. */
function visibleFieldsBeforeDetails(page) {
  return page.locator('main form[method="post"]').first().evaluate((form) => {
    const seen = new Set();
    const fields = [];
    for (const el of form.elements) {
      if (!['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName) || el.type === 'hidden') continue;
      if (el.closest('details') || !el.checkVisibility()) continue;
      const key = el.type === 'radio' ? `radio:${el.name}` : el.name;
      if (seen.has(key)) continue;
      seen.add(key);
      fields.push({ name: el.name, required: el.required || el.getAttribute('aria-required') === 'true' });
    }
    return fields;
  });
}

/**
 * Fills the host form (already open on `page`) and registers the event. Returns the event's id
 * and what it took: the place label chosen and the visible fields before "More details".
 */
async function registerEvent(page, t, ev) {
  const form = page.locator('main form[method="post"]').first();
  const fields = await visibleFieldsBeforeDetails(page);

  await page.getByLabel(t.eventTitle, { exact: true }).fill(ev.title);
  await page.getByLabel(t.kind, { exact: true }).selectOption(ev.kind);
  await page.getByRole('radio', { name: ev.visibility === 'public' ? t.public : t.private, exact: true }).check();

  // By id: the date's label is checked on its own (see dateLabel), so a wrong label does not hide the rest.
  const date = form.locator('input#date');
  const dateLabel = (await form.locator('label[for="date"]').innerText()).trim();
  const defaultDate = await date.inputValue();
  assert.equal(defaultDate, GLOBAL_DAY, "the date defaults to the campaign's global day");
  await page.getByLabel(t.start, { exact: true }).fill('18:00');
  await page.getByLabel(t.end, { exact: true }).fill('20:30');

  const placeBox = page.getByLabel(t.place, { exact: true });
  const placeLabel = await pickPlace(page, placeBox, t.town);
  // place-field.js filled the hidden fields (and the country) from the suggestion.
  const hidden = await form.evaluate((f) => ({
    city: f.elements.city.value,
    region: f.elements.region.value,
    latitude: f.elements.latitude.value,
    longitude: f.elements.longitude.value,
    country: f.elements.country.value,
  }));
  assert.equal(hidden.city, t.town, `the suggestion filled the city: ${JSON.stringify(hidden)}`);
  assert.match(hidden.region, /^CA-/, `the suggestion filled the region: ${JSON.stringify(hidden)}`);
  assert.ok(hidden.latitude !== '' && hidden.longitude !== '', `coordinates filled: ${JSON.stringify(hidden)}`);
  assert.equal(hidden.country, 'CA', `the suggestion chose the country: ${JSON.stringify(hidden)}`);
  await page.getByLabel(t.country, { exact: true }).selectOption('CA');

  await page.getByLabel(t.venue, { exact: true }).fill(ev.venue);
  await page.getByLabel(t.address, { exact: true }).fill(ev.address);

  if (ev.capacity) {
    await page.locator('main form summary', { hasText: t.more }).click();
    await page.getByLabel(t.capacity, { exact: true }).fill(String(ev.capacity));
  }

  const response = await submit(page, page.getByRole('button', { name: t.register, exact: true }));
  const errors = await page.locator('.field-errors').allInnerTexts();
  assert.equal(response.status(), 303, `registering the event answered ${response.status()}: ${errors.join(' | ')}`);
  const match = pathOf(page).match(/^\/events\/(\d+)$/);
  assert.ok(match, `registering lands on the event page, not ${page.url()}`);
  return { id: match[1], placeLabel, fields, defaultDate, dateLabel };
}

/**
 * Fills the event page's RSVP form and sends it; returns the path of the manage link mailed to
 * the person (the answer page itself carries none: it reads the same whoever's email it was).
 */
async function rsvp(page, t, person) {
  await page.getByLabel(t.displayName, { exact: true }).fill(person.name);
  await page.getByLabel(t.email, { exact: true }).fill(person.email);
  const response = await submit(page, page.getByRole('button', { name: t.rsvpSubmit, exact: true }));
  assert.equal(response.status(), 200, `the RSVP answered ${response.status()}`);
  assert.equal(await page.locator('main a[href^="/rsvps/"]').count(), 0, 'no manage link on the page');
  const href = new URL(await linkFromMail(app, person.email, '/rsvps/')).pathname;
  assert.match(href, /^\/rsvps\/[A-Za-z0-9_-]+$/, `the mail links to the sign-up: ${href}`);
  return href;
}

/** The RSVP's own page: "Sign-up for NAME: <strong>status</strong>". */
async function rsvpStatus(page) {
  return (await page.locator('main strong').innerText()).trim();
}

for (const lang of ['en', 'fr']) {
  const t = TEXT[lang];

  describe(`events in ${lang}`, () => {
    const suffix = randomSuffix();
    const host = { name: `Host ${lang} ${suffix}`, email: `host-${lang}-${suffix}@example.org` };
    const publicEvent = {
      title: `Letters by the harbour ${lang} ${suffix}`,
      kind: 'community_centre',
      visibility: 'public',
      venue: `Harbour Hall ${suffix}`,
      address: `12 Water Street ${suffix}`,
      capacity: 2,
    };
    const privateEvent = {
      title: `Letters in my kitchen ${lang} ${suffix}`,
      kind: 'home',
      visibility: 'private',
      venue: `My kitchen ${suffix}`,
      address: `7 Quiet Lane ${suffix}`,
    };
    let hostPage; // the host stays signed in across the tests
    let publicId;

    after(async () => {
      if (hostPage) await closePhone(hostPage);
    });

    test('a host registers a public event from the campaign page, picking the town from the suggestions', async (ctx) => {
      hostPage = await phone(t);
      const page = hostPage;

      await page.goto(url('/signup'));
      await page.check('sign-up form');
      await page.getByLabel(t.displayName, { exact: true }).fill(host.name);
      await page.getByLabel(t.email, { exact: true }).fill(host.email);
      await page.getByLabel(t.newPassword, { exact: true }).fill(PASSPHRASE);
      const response = await submit(page, page.getByRole('button', { name: t.signUp }));
      assert.equal(response.status(), 200, `signing up answered ${response.status()}`);
      await signInWithPassword(page, app, host.email, PASSPHRASE);
      assert.equal(pathOf(page), '/account');
      await page.check('account page after sign-up');

      // From here on, count the documents loaded up to the event page.
      const loads = [];
      const onLoad = () => loads.push(pathOf(page));
      page.on('domcontentloaded', onLoad);

      await page.goto(url(`/campaigns/${CURRENT}`));
      await page.check('campaign page');
      await page.locator('main').getByRole('link', { name: t.hostEvent, exact: true }).click();
      await page.waitForURL(url(`/campaigns/${CURRENT}/events/new`));
      await page.check('host form');

      const done = await registerEvent(page, t, publicEvent);
      publicId = done.id;
      page.off('domcontentloaded', onLoad);

      const required = done.fields.filter((f) => f.required).map((f) => f.name);
      const measured = {
        visibleFieldsBeforeMoreDetails: done.fields.length,
        fields: done.fields.map((f) => f.name),
        markedRequired: required,
        pageLoads: loads.length,
        loads,
        place: done.placeLabel,
        date: done.defaultDate,
      };
      ctx.diagnostic(`host form (${lang}): ${JSON.stringify(measured)}`);
      assert.ok(
        done.fields.length <= MAX_VISIBLE_FIELDS,
        `${done.fields.length} visible fields before "${t.more}" (at most ${MAX_VISIBLE_FIELDS}): ` +
          done.fields.map((f) => f.name).join(', '),
      );
      assert.ok(
        loads.length <= MAX_PAGE_LOADS,
        `${loads.length} page loads from the campaign page to the event page (at most ${MAX_PAGE_LOADS}): ${loads.join(' → ')}`,
      );

      assert.equal(await h1(page), publicEvent.title);
      const text = await mainText(page);
      assert.ok(text.includes(publicEvent.venue), `the host sees the venue: ${text}`);
      assert.ok(text.includes(publicEvent.address), `the host sees the street address: ${text}`);
      assert.ok(text.includes(t.town), `the event page names the town: ${text}`);
      await page.check('event page (host)');

      // Last, so a wrong label does not hide the checks above.
      assert.equal(done.dateLabel, t.date, `the host form's date field is labelled "${done.dateLabel}", not "${t.date}"`);
    });

    test('visitors find it by town and sign up; the waiting list moves up when someone cancels', async () => {
      assert.ok(publicId, 'needs the event registered by the previous test');
      const eventPath = `/events/${publicId}`;
      const people = [1, 2, 3].map((n) => ({
        name: `Visitor ${n} ${lang} ${suffix}`,
        email: `visitor${n}-${lang}-${suffix}@example.org`,
      }));

      // The first visitor finds the event from the campaign page.
      const first = await phone(t);
      await first.goto(url(`/campaigns/${CURRENT}`));
      await first.locator('main').getByRole('link', { name: t.findEvents, exact: true }).click();
      await first.waitForURL(url(`/campaigns/${CURRENT}/events`));
      await first.check('finder');

      await first.getByLabel(t.finderPlace, { exact: true }).pressSequentially(t.town, { delay: 20 });
      await Promise.all([
        first.waitForURL((u) => u.pathname === `/campaigns/${CURRENT}/events` && u.searchParams.has('place')),
        first.getByRole('button', { name: t.finderSubmit, exact: true }).click(),
      ]);
      await first.waitForLoadState();
      assert.equal(await first.locator('#results-heading').innerText(), t.resultsNear(t.town));
      const result = first.locator('#finder-results').getByRole('link', { name: publicEvent.title, exact: true });
      assert.equal(await result.getAttribute('href'), eventPath);
      // The map's tiles cannot load (no network): the page says so, and the map falls back on the
      // country outlines the app serves itself, with the tiles (and their credit) dropped.
      await first.locator('#finder-map-status').waitFor({ state: 'visible', timeout: 5000 });
      assert.equal((await first.locator('#finder-map-status').innerText()).trim(), t.mapFailed);
      await first.locator('#finder-map .leaflet-outlines-pane path').nth(100).waitFor({ state: 'attached', timeout: 10_000 });
      await first.waitForFunction(() => document.querySelectorAll('#finder-map img.leaflet-tile').length === 0, null, { timeout: 5000 });
      const credit = await first.locator('#finder-map .leaflet-control-attribution').innerText();
      assert.match(credit, /Natural Earth/);
      assert.doesNotMatch(credit, /OpenStreetMap/);
      await first.check('finder results');

      await result.click();
      await first.waitForURL(url(eventPath));
      assert.equal(await h1(first), publicEvent.title);
      const visitorView = await mainText(first);
      assert.ok(visitorView.includes(publicEvent.venue), `a public event shows its venue: ${visitorView}`);
      assert.ok(!visitorView.includes(publicEvent.address), `a visitor does not see the street address: ${visitorView}`);
      await first.check('event page (visitor)');

      const firstManage = await rsvp(first, t, people[0]);
      assert.equal(await h1(first), t.confirmedTitle);
      const answer = await first.locator('body').innerText();
      assert.ok(!answer.includes(publicEvent.address), `the RSVP answer does not show the street address: ${answer}`);
      assert.ok(answer.includes(publicEvent.title), `the RSVP answer names the event: ${answer}`);
      await first.check('RSVP confirmed');

      // The second takes the last place; the third joins the waiting list.
      const second = await phone(t);
      await second.goto(url(eventPath));
      await rsvp(second, t, people[1]);
      assert.equal(await h1(second), t.confirmedTitle);
      await closePhone(second);

      const third = await phone(t);
      await third.goto(url(eventPath));
      await third.check('event page (full)');
      const thirdManage = await rsvp(third, t, people[2]);
      assert.equal(await h1(third), t.waitlistedTitle);
      assert.ok(!(await third.locator('body').innerText()).includes(publicEvent.address));
      await third.check('RSVP waitlisted');

      await third.goto(url(thirdManage));
      assert.equal(await rsvpStatus(third), t.status.waitlisted);
      await third.check('sign-up page (waitlisted)');

      // The first cancels with their link.
      await first.goto(url(firstManage));
      assert.equal(await rsvpStatus(first), t.status.confirmed);
      await first.check('sign-up page (coming)');
      const cancelResponse = await submit(first, first.getByRole('button', { name: t.cancelRsvp, exact: true }));
      assert.ok(cancelResponse.status() < 400, `cancelling answered ${cancelResponse.status()}`);
      assert.equal((await first.locator('main [role="status"]').innerText()).trim(), t.cancelled);
      assert.equal(await rsvpStatus(first), t.status.cancelled);
      assert.equal(await first.getByRole('button', { name: t.cancelRsvp, exact: true }).count(), 0);
      await first.check('sign-up page (cancelled)');
      await closePhone(first);

      // The third has moved up.
      await third.reload();
      assert.equal(await rsvpStatus(third), t.status.confirmed);
      await third.check('sign-up page (moved up)');
      await closePhone(third);

      // The host sees it on the event page and in the attendee list.
      await hostPage.goto(url(eventPath));
      const hostView = await mainText(hostPage);
      assert.ok(hostView.includes(t.comingCount(2)), `two people are coming: ${hostView}`);
      assert.ok(!hostView.includes(t.waitlistCount(1)), `nobody waits any more: ${hostView}`);
      await hostPage.check('event page (host, after the cancellation)');

      await hostPage.locator('main').getByRole('link', { name: t.attendees, exact: true }).click();
      await hostPage.waitForURL(url(`${eventPath}/attendees`));
      const rowOf = (person) => hostPage.getByRole('row').filter({ hasText: person.name });
      const statusOf = async (person) => (await rowOf(person).getByRole('cell').nth(2).innerText()).trim();
      assert.equal(await statusOf(people[2]), t.status.confirmed, 'the third visitor is now coming');
      assert.equal(await statusOf(people[1]), t.status.confirmed);
      assert.equal(await statusOf(people[0]), t.status.cancelled);
      await hostPage.check('attendees');
    });

    test('a private home event is neither shown to visitors nor listed', async () => {
      assert.ok(hostPage && publicId, 'needs the host and the public event of the first test');
      await hostPage.goto(url(`/campaigns/${CURRENT}/events/new`));
      const done = await registerEvent(hostPage, t, privateEvent);
      const privatePath = `/events/${done.id}`;
      assert.equal(await h1(hostPage), privateEvent.title);
      assert.equal((await hostPage.locator('main .badge').innerText()).trim(), t.privateBadge);
      await hostPage.check('private event page (host)');

      const visitor = await phone(t);
      const response = await visitor.goto(url(privatePath));
      assert.equal(response.status(), 404, `a visitor asking for the private event gets ${response.status()}`);
      assert.equal(await h1(visitor), t.notFound);
      assert.ok(!(await visitor.locator('body').innerText()).includes(privateEvent.title));
      await visitor.check('private event (404)');

      const query = new URLSearchParams({ place: t.town });
      await visitor.goto(url(`/campaigns/${CURRENT}/events?${query}`));
      const results = visitor.locator('#finder-results');
      await results.getByRole('link', { name: publicEvent.title, exact: true }).waitFor();
      assert.equal(await results.locator(`a[href="${privatePath}"]`).count(), 0, 'the private event is not listed');
      assert.ok(!(await results.innerText()).includes(privateEvent.title), 'the private title is not listed');
      await visitor.check('finder without the private event');
      await closePhone(visitor);
    });

    test('without JavaScript the finder still finds events by town', async () => {
      assert.ok(publicId, 'needs the event registered by the first test');
      const page = await phone(t, { javaScriptEnabled: false });
      await page.goto(url(`/campaigns/${CURRENT}/events`));
      assert.equal(await page.locator('#finder-map').isVisible(), false, 'no map without JavaScript');
      // A button that needs JavaScript must stay hidden without it (checked last, below).
      const useLocationShown = await page.locator('#use-location').isVisible();
      await page.check('finder (no JavaScript)');

      await page.getByLabel(t.finderPlace, { exact: true }).fill(t.town);
      await Promise.all([
        page.waitForURL((u) => u.pathname === `/campaigns/${CURRENT}/events` && u.searchParams.get('place') === t.town),
        page.getByRole('button', { name: t.finderSubmit, exact: true }).click(),
      ]);
      await page.waitForLoadState();
      assert.equal(await page.locator('#results-heading').innerText(), t.resultsNear(t.town));
      const link = page.locator('#finder-results').getByRole('link', { name: publicEvent.title, exact: true });
      assert.equal(await link.getAttribute('href'), `/events/${publicId}`);
      await page.check('finder results (no JavaScript)');
      await closePhone(page);

      assert.equal(
        useLocationShown,
        false,
        'without JavaScript the finder shows a "use my location" button (#use-location, hidden in the HTML) that does nothing',
      );
    });
  });
}
