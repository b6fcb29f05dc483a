/*
 * Writeathon events finder: progressive enhancement (a map of the results and "use my location").
 *
 * The page works without this script: a GET form, and an ordered list of results. This script
 * only adds things; if Leaflet failed to load, or the map tiles cannot be fetched, the list and
 * the form still work as before. It needs no inline script or style (the site's CSP has neither).
 *
 * ---------------------------------------------------------------------------------------------
 * HTML CONTRACT (the template follows this exactly)
 * ---------------------------------------------------------------------------------------------
 * Scripts and styles, in <head> (order matters: Leaflet, then the cluster plugin, then this;
 * in templates write each href/src as {{ page.asset("vendor/leaflet/leaflet.css") }} etc.):
 *   <link rel="stylesheet" href="/static/vendor/leaflet/leaflet.css">
 *   <link rel="stylesheet" href="/static/vendor/leaflet.markercluster/MarkerCluster.css">
 *   <link rel="stylesheet" href="/static/vendor/leaflet.markercluster/MarkerCluster.Default.css">
 *   <script src="/static/vendor/leaflet/leaflet.js" defer></script>
 *   <script src="/static/vendor/leaflet.markercluster/leaflet.markercluster.js" defer></script>
 *   <script src="/static/finder.js" defer></script>
 *   (/static/place-field.js too, for the place suggestions; any order.)
 * The CSP's img-src must allow the tile origin (e.g. https://tile.openstreetmap.org).
 * The map container needs a height from the site's CSS, e.g. `#finder-map { height: 22rem; }`;
 * without one the script gives it 22rem itself.
 *
 * Map (optional; no map without it):
 *   <div id="finder-map" hidden
 *        data-tiles="https://tile.openstreetmap.org/{z}/{x}/{y}.png"
 *        data-attribution="&copy; OpenStreetMap contributors"
 *        data-attribution-url="https://www.openstreetmap.org/copyright"   (optional: links the text)
 *        data-center-lat="47.56" data-center-lon="-52.71" data-zoom="11"></div>
 *   - data-attribution is plain text (shown escaped, never as HTML).
 *   - data-center-lat/-lon/-zoom are used when no result has coordinates (defaults 0, 0, zoom 2).
 *   - The script un-hides the div, sets aria-hidden="true" on it (every event on the map is also
 *     in the list, so the map is a visual aid only) and keeps everything inside it out of the tab
 *     order (map, markers, clusters, zoom buttons, attribution and popup links: tabindex="-1").
 *   <p id="finder-map-status" hidden>Map tiles could not be loaded.</p>            (optional)
 *   - Server-rendered, translated text; the script un-hides it when a map tile fails to load.
 *
 * Results (the map shows one marker per <li> with coordinates):
 *   <ol id="finder-results">
 *     <li data-lat="47.5615" data-lon="-52.7126" data-approximate="false">
 *       <a href="/events/123">Title</a> ...anything else...
 *     </li>
 *   </ol>
 *   - data-lat/data-lon: decimal degrees; leave both out for an event without coordinates.
 *   - data-approximate="true": drawn as a 1 km circle instead of a pin.
 *   - The first <a href> in the <li> is the event link; the marker's popup gets a copy of it
 *     (href and textContent only).
 *
 * "Use my location" (optional):
 *   <form id="finder-form" method="get" action="...">
 *     <input name="place" ...>                       (must not be `required`)
 *     <input type="hidden" name="lat" value="">
 *     <input type="hidden" name="lon" value="">
 *     <button type="button" id="use-location" hidden
 *             data-error="We could not get your location. Type a place instead."
 *             data-pending="Finding your location…">Use my location</button>   (data-pending optional)
 *     <p id="location-status" role="status"></p>
 *     ...
 *   </form>
 *   - The button is un-hidden only where the browser has geolocation (and the page is a secure
 *     context: https, or http://localhost).
 *   - On click: asks for the position; on success fills lat/lon (rounded to 3 decimals, about
 *     100 m), clears the place box and submits the form (form.requestSubmit()). On failure the
 *     text of data-error goes into #location-status.
 *   - Typing in the place box clears lat/lon, so a typed place wins over an earlier location.
 * ---------------------------------------------------------------------------------------------
 */
(function () {
  'use strict';

  var APPROXIMATE_RADIUS_M = 1000;
  var MAX_FIT_ZOOM = 14;
  var DEFAULT_HEIGHT = '22rem';
  var FOCUSABLE = 'a[href], area[href], button, input, select, textarea, iframe, [tabindex], [contenteditable]';

  function number(value) {
    if (value === null || value === undefined || String(value).trim() === '') return NaN;
    var n = Number(value);
    return isFinite(n) ? n : NaN;
  }

  function validLatLon(lat, lon) {
    return !isNaN(lat) && !isNaN(lon) && lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180;
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }

  // Keeps every focusable thing inside `root` out of the tab order, now and as Leaflet adds more
  // (popups, clusters, controls). axe's aria-hidden-focus rule accepts tabindex="-1".
  function keepOutOfTabOrder(root) {
    function sweep(node) {
      if (node.nodeType !== 1) return;
      if (node.matches(FOCUSABLE) && node.getAttribute('tabindex') !== '-1') {
        node.setAttribute('tabindex', '-1');
      }
      var inner = node.querySelectorAll(FOCUSABLE);
      for (var i = 0; i < inner.length; i++) {
        if (inner[i].getAttribute('tabindex') !== '-1') inner[i].setAttribute('tabindex', '-1');
      }
    }
    sweep(root);
    if (typeof MutationObserver === 'function') {
      new MutationObserver(function (records) {
        for (var i = 0; i < records.length; i++) {
          var r = records[i];
          if (r.type === 'attributes') {
            sweep(r.target);
          } else {
            for (var j = 0; j < r.addedNodes.length; j++) sweep(r.addedNodes[j]);
          }
        }
      }).observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: ['tabindex', 'href'] });
    }
  }

  function readResults(list) {
    var out = [];
    if (!list) return out;
    var items = list.querySelectorAll('li[data-lat][data-lon]');
    for (var i = 0; i < items.length; i++) {
      var li = items[i];
      var lat = number(li.getAttribute('data-lat'));
      var lon = number(li.getAttribute('data-lon'));
      if (!validLatLon(lat, lon)) continue;
      var link = li.querySelector('a[href]');
      out.push({
        lat: lat,
        lon: lon,
        approximate: li.getAttribute('data-approximate') === 'true',
        href: link ? link.getAttribute('href') : null,
        title: link ? link.textContent.replace(/\s+/g, ' ').trim() : '',
      });
    }
    return out;
  }

  function popupContent(result) {
    var p = document.createElement('p');
    p.className = 'finder-popup';
    if (result.href) {
      var a = document.createElement('a');
      a.setAttribute('href', result.href);
      a.textContent = result.title;
      p.appendChild(a);
    } else {
      p.textContent = result.title;
    }
    return p;
  }

  function initMap() {
    var container = document.getElementById('finder-map');
    if (!container) return;
    var L = window.L;
    if (!L || typeof L.map !== 'function') return; // Leaflet did not load: the list is enough.

    var tiles = container.getAttribute('data-tiles');
    var attributionText = container.getAttribute('data-attribution') || '';
    var attributionUrl = container.getAttribute('data-attribution-url');
    var attribution = escapeHtml(attributionText);
    if (attributionUrl && /^https?:\/\//i.test(attributionUrl)) {
      attribution = '<a href="' + escapeHtml(attributionUrl) + '" rel="noopener noreferrer">' + attribution + '</a>';
    }

    var results = readResults(document.getElementById('finder-results'));

    container.setAttribute('aria-hidden', 'true');
    container.hidden = false;
    if (container.clientHeight === 0) container.style.height = DEFAULT_HEIGHT;

    L.Icon.Default.imagePath = '/static/vendor/leaflet/images/';

    var map = L.map(container, {
      keyboard: false,
      attributionControl: true,
      scrollWheelZoom: false, // the page scrolls past the map instead of zooming it by surprise
    });
    keepOutOfTabOrder(container);

    if (tiles) {
      var status = document.getElementById('finder-map-status');
      var layer = L.tileLayer(tiles, {
        attribution: attribution,
        maxZoom: 19,
        // The tile server's usage policy asks for a Referer; the site's own policy (same-origin)
        // would send none cross-origin, so tiles send the origin only.
        referrerPolicy: 'strict-origin-when-cross-origin',
      });
      var reported = false;
      layer.on('tileerror', function () {
        if (reported) return;
        reported = true;
        if (status) status.hidden = false;
      });
      layer.addTo(map);
    }

    var hasCluster = typeof L.markerClusterGroup === 'function';
    if (hasCluster && L.MarkerCluster && L.MarkerCluster.mergeOptions) {
      // Cluster icons are markers too: keep them out of the tab order like the pins.
      L.MarkerCluster.mergeOptions({ keyboard: false });
    }
    var group = hasCluster
      ? L.markerClusterGroup({ showCoverageOnHover: false, spiderfyOnMaxZoom: true, maxClusterRadius: 60 })
      : L.featureGroup();

    var bounds = null;
    for (var i = 0; i < results.length; i++) {
      var r = results[i];
      var at = L.latLng(r.lat, r.lon);
      var layerForResult = r.approximate
        ? L.circle(at, { radius: APPROXIMATE_RADIUS_M, weight: 2, fillOpacity: 0.15 })
        : L.marker(at, { keyboard: false, title: r.title, alt: r.title });
      layerForResult.bindPopup(popupContent(r));
      group.addLayer(layerForResult);
      var extent = r.approximate ? at.toBounds(2 * APPROXIMATE_RADIUS_M) : L.latLngBounds(at, at);
      bounds = bounds ? bounds.extend(extent) : L.latLngBounds(extent.getSouthWest(), extent.getNorthEast());
    }
    group.addTo(map);

    if (bounds) {
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: MAX_FIT_ZOOM, animate: false });
    } else {
      var lat = number(container.getAttribute('data-center-lat'));
      var lon = number(container.getAttribute('data-center-lon'));
      var zoom = number(container.getAttribute('data-zoom'));
      if (!validLatLon(lat, lon)) {
        lat = 0;
        lon = 0;
        if (isNaN(zoom)) zoom = 2;
      }
      map.setView([lat, lon], isNaN(zoom) ? 11 : zoom, { animate: false });
    }
  }

  function initLocation() {
    var button = document.getElementById('use-location');
    var form = document.getElementById('finder-form');
    if (!form) return;
    var place = form.querySelector('input[name=place]');

    function field(name) {
      var el = form.querySelector('input[name=' + name + ']');
      if (!el) {
        el = document.createElement('input');
        el.type = 'hidden';
        el.name = name;
        form.appendChild(el);
      }
      return el;
    }

    // A place typed by hand replaces an earlier "use my location".
    if (place) {
      place.addEventListener('input', function (event) {
        if (!event.isTrusted) return;
        var lat = form.querySelector('input[name=lat]');
        var lon = form.querySelector('input[name=lon]');
        if (lat) lat.value = '';
        if (lon) lon.value = '';
      });
    }

    if (!button) return;
    var geo = navigator.geolocation;
    if (!geo || window.isSecureContext === false) return;
    var status = document.getElementById('location-status');

    function say(text) {
      if (status) status.textContent = text || '';
    }

    button.hidden = false;
    button.addEventListener('click', function () {
      if (button.disabled) return;
      button.disabled = true;
      button.setAttribute('aria-busy', 'true');
      say(button.getAttribute('data-pending'));
      geo.getCurrentPosition(
        function (position) {
          var lat = position.coords.latitude;
          var lon = position.coords.longitude;
          if (!validLatLon(lat, lon)) return fail();
          field('lat').value = lat.toFixed(3);
          field('lon').value = lon.toFixed(3);
          if (place) place.value = '';
          button.removeAttribute('aria-busy');
          button.disabled = false;
          if (typeof form.requestSubmit === 'function') form.requestSubmit();
          else form.submit();
        },
        fail,
        { enableHighAccuracy: false, timeout: 15000, maximumAge: 300000 }
      );
    });

    function fail() {
      button.disabled = false;
      button.removeAttribute('aria-busy');
      say(button.getAttribute('data-error') || '');
    }
  }

  function init() {
    try {
      initMap();
    } catch (err) {
      // A broken map must not take "use my location" down with it; the list is still there.
      if (window.console) console.warn('finder map:', err);
    }
    initLocation();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
