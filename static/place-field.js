/*
 * Writeathon place box: suggestions for a typed place, and filling the related fields of the
 * form from a chosen suggestion. Used on the events finder and on the host's event form.
 * No dependencies; no inline script or style. Without it the box is a plain text box.
 *
 * ---------------------------------------------------------------------------------------------
 * HTML CONTRACT
 * ---------------------------------------------------------------------------------------------
 *   <script src="/static/place-field.js" defer></script>
 *
 *   <input name="place" id="place" list="place-suggestions" autocomplete="off"
 *          data-suggest="/api/v1/places">
 *   <datalist id="place-suggestions"></datalist>
 *
 * Every <input data-suggest list="..."> on the page is enhanced (ids must be unique per page).
 * - On input (debounced 150 ms; at least 2 characters, trimmed) the script fetches
 *   GET {data-suggest}?q=<text> (same origin, Accept: application/json), which answers
 *     [{"label": "St. John's, Newfoundland and Labrador, Canada", "name": "St. John's",
 *       "country": "CA", "region": "CA-NL", "latitude": 47.56, "longitude": -52.71}, ...]
 *   (label already in the user's language), and replaces the datalist's options with one
 *   <option value="{label}"> per suggestion. Only the latest request counts: older ones are
 *   aborted, and a late answer to an older request is ignored.
 * - When the box's value equals a suggestion's label (the user picked it, or typed it exactly),
 *   the fields of the box's form named
 *       city <- name, region <- region, country <- country,
 *       latitude <- latitude, longitude <- longitude
 *   are set (any subset may exist: inputs, hidden inputs or selects; a missing value sets "")
 *   and each gets a bubbling 'change' event. The box itself is never overwritten.
 * - If the value is then edited so it no longer equals that label, each field that still holds
 *   what the script wrote goes back to the value it had before (again with a 'change' event),
 *   so a stale region/country/coordinates are not submitted with a different place.
 * ---------------------------------------------------------------------------------------------
 */
(function () {
  'use strict';

  var DEBOUNCE_MS = 150;
  var MIN_CHARS = 2;
  // form field name -> suggestion key
  var FIELDS = { city: 'name', region: 'region', country: 'country', latitude: 'latitude', longitude: 'longitude' };

  function valid(item) {
    return item && typeof item === 'object' && typeof item.label === 'string' && item.label !== '';
  }

  function enhance(input) {
    var list = input.list || document.getElementById(input.getAttribute('list'));
    var endpoint = input.getAttribute('data-suggest');
    if (!list || !endpoint) return;

    var byLabel = Object.create(null); // label -> suggestion, from the latest answer
    var timer = null;
    var seq = 0; // number of the latest request sent
    var controller = null;
    var lastQuery = null; // the text the datalist's options answer
    var pendingQuery = null; // the text of the request scheduled or on its way
    var filled = null; // { label, fields: { name: { el, before, written } } }

    function formField(name) {
      var form = input.form;
      if (!form) return null;
      var el = form.elements.namedItem(name);
      if (!el || el === input || typeof el.value !== 'string' || !('name' in el)) return null; // skip radio groups
      return el;
    }

    function setField(el, value) {
      if (el.value === value) return;
      el.value = value;
      el.dispatchEvent(new Event('change', { bubbles: true }));
    }

    function apply(label) {
      var s = byLabel[label];
      if (!s) return false;
      if (filled && filled.label === label) return true;
      var previous = filled ? filled.fields : {};
      var fields = {};
      for (var name in FIELDS) {
        var el = formField(name);
        if (!el) continue;
        var raw = s[FIELDS[name]];
        var value = raw === null || raw === undefined ? '' : String(raw);
        var before = previous[name] ? previous[name].before : el.value;
        setField(el, value);
        // A <select> without that option ends up with another value: remember what it shows.
        fields[name] = { el: el, before: before, written: el.value };
      }
      filled = { label: label, fields: fields };
      return true;
    }

    function revert() {
      if (!filled) return;
      for (var name in filled.fields) {
        var f = filled.fields[name];
        if (f.el.value === f.written) setField(f.el, f.before);
      }
      filled = null;
    }

    function fill(items) {
      var fresh = Object.create(null);
      var fragment = document.createDocumentFragment();
      for (var i = 0; i < items.length; i++) {
        var item = items[i];
        if (!valid(item) || fresh[item.label]) continue;
        fresh[item.label] = item;
        var option = document.createElement('option');
        option.value = item.label;
        fragment.appendChild(option);
      }
      byLabel = fresh;
      while (list.firstChild) list.removeChild(list.firstChild);
      list.appendChild(fragment);
      // The answer may arrive after the user finished typing a label exactly.
      if (input.value.trim() in byLabel) apply(input.value.trim());
    }

    function cancel() {
      if (timer) clearTimeout(timer);
      timer = null;
      if (controller) controller.abort();
      controller = null;
      pendingQuery = null;
      seq++; // any answer still on its way is now stale
    }

    function request(query) {
      var id = ++seq;
      controller = typeof AbortController === 'function' ? new AbortController() : null;
      var url = new URL(endpoint, window.location.href);
      url.searchParams.set('q', query);
      fetch(url.toString(), {
        headers: { Accept: 'application/json' },
        credentials: 'same-origin',
        signal: controller ? controller.signal : undefined,
      })
        .then(function (response) {
          if (!response.ok) throw new Error('HTTP ' + response.status);
          return response.json();
        })
        .then(function (data) {
          if (id !== seq) return; // an older answer arriving late
          pendingQuery = null;
          lastQuery = query;
          fill(Array.isArray(data) ? data : []);
        })
        .catch(function () {
          // Aborted, offline or a server error: the box still works as a plain text box.
          if (id === seq) pendingQuery = null;
        });
    }

    function onInput() {
      var text = input.value.trim();
      if (text in byLabel) {
        // A suggestion was picked (or typed exactly): fill the form, no new request needed.
        cancel();
        apply(text);
        return;
      }
      revert();
      if (Array.from(text).length < MIN_CHARS) {
        cancel();
        lastQuery = null;
        byLabel = Object.create(null);
        while (list.firstChild) list.removeChild(list.firstChild);
        return;
      }
      if (text === pendingQuery || (text === lastQuery && !pendingQuery)) return; // already asked
      cancel();
      pendingQuery = text;
      timer = setTimeout(function () {
        timer = null;
        request(text);
      }, DEBOUNCE_MS);
    }

    input.addEventListener('input', onInput);
    input.addEventListener('change', onInput);
  }

  function init() {
    var inputs = document.querySelectorAll('input[data-suggest][list]');
    for (var i = 0; i < inputs.length; i++) enhance(inputs[i]);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
