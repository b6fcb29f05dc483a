/*
 * Writeathon events finder: progressive enhancement (a map of the results and "use my location").
 *
 * The page works without this script: a GET form, and an ordered list of results. This script
 * only adds things; if Leaflet failed to load, or the map tiles cannot be fetched, the list and
 * the form still work as before. It needs no inline script or style (the site's CSP has neither).
 *
 * The map's base layer is either tiles (data-tiles) or, when there are none or none of them loads,
 * country outlines from a TopoJSON file served by the site itself (Natural Earth, data-outlines),
 * so a map without tiles is never an empty grey box and asks nothing of any other server.
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
 *   <script src="/static/vendor/topojson-client/topojson-client.min.js" defer></script>
 *   <script src="/static/finder.js" defer></script>
 *   (/static/place-field.js too, for the place suggestions; any order. topojson-client only
 *   before this script: without it there are no outlines.)
 * The CSP's img-src must allow the tile origin (e.g. https://tile.openstreetmap.org), if any;
 * connect-src 'self' lets the outlines load.
 * The map container needs a height from the site's CSS, e.g. `#finder-map { height: 22rem; }`;
 * without one the script gives it 22rem itself.
 *
 * Map (optional; no map without it):
 *   <div class="finder-layout">                 (optional: gets class "has-map" once the map is shown)
 *     ...the results...
 *     <div id="finder-map" hidden
 *          data-tiles="https://tile.openstreetmap.org/{z}/{x}/{y}.png"      (optional: no tiles without it)
 *          data-attribution="&copy; OpenStreetMap contributors"             (the tiles' attribution)
 *          data-attribution-url="https://www.openstreetmap.org/copyright"   (optional: links the text)
 *          data-outlines="/static/vendor/world-atlas/countries-110m.json"   (optional, see below)
 *          data-outlines-attribution="Natural Earth"                        (optional)
 *          data-center-lat="47.56" data-center-lon="-52.71" data-zoom="11"></div>
 *   </div>
 *   - data-attribution and data-outlines-attribution are plain text (shown escaped, never as HTML).
 *   - data-outlines: the URL of a world-atlas TopoJSON (an object "countries"), on this site. The
 *     countries are drawn (light fill, thin borders) under the markers: from the start when there
 *     is no data-tiles, else as soon as a tile fails to load (they show through any missing tile).
 *     When no tile loads at all, the tiles are dropped: the map is then the same as without them.
 *     With outlines only, the results are shown at OUTLINE_FIT_ZOOM at most, nobody zooms past
 *     OUTLINE_MAX_ZOOM (at 1:110m a town would be a blank patch), and approximate locations are
 *     drawn as a circle of fixed size.
 *   - data-center-lat/-lon/-zoom are used when no result has coordinates (defaults 0, 0, zoom 2).
 *   - The script un-hides the div, sets aria-hidden="true" on it (every event on the map is also
 *     in the list, so the map is a visual aid only) and keeps everything inside it out of the tab
 *     order (map, markers, clusters, zoom buttons, attribution and popup links: tabindex="-1").
 *     With outlines drawn it has class "finder-map-outlines" (the site's CSS colours the sea).
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
  var APPROXIMATE_RADIUS_PX = 10;
  var MAX_FIT_ZOOM = 14;
  // Country outlines at 1:110m: the results are shown at most at OUTLINE_FIT_ZOOM (a region with
  // its borders and coasts; one less on a phone-sized map), and nobody zooms past OUTLINE_MAX_ZOOM
  // (a blank patch of one country).
  var OUTLINE_FIT_ZOOM = 5;
  var NARROW_MAP_PX = 480;
  var OUTLINE_MAX_ZOOM = 8;
  var OUTLINE_PANE = 'outlines';
  var OUTLINE_STYLE = { color: '#7d8794', weight: 0.8, opacity: 1, fillColor: '#f4f1e8', fillOpacity: 1 };
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

  function attributionHtml(text, url) {
    var html = escapeHtml(text || '');
    if (html && url && /^https?:\/\//i.test(url)) {
      html = '<a href="' + escapeHtml(url) + '" rel="noopener noreferrer">' + html + '</a>';
    }
    return html;
  }

  // Natural Earth cuts the rings that cross the antimeridian (Russia's far east, Fiji) at ±180°:
  // drawn flat, they would streak across the whole map. A ring that goes over and comes back is
  // made continuous instead (its far part drawn past 180°). A ring that crosses once and closes
  // along the edge (Antarctica) is right as it is.
  function unwrapRing(ring) {
    var offset = 0;
    var out = [ring[0]];
    for (var i = 1; i < ring.length; i++) {
      var step = ring[i][0] - ring[i - 1][0];
      if (step > 180) offset -= 360;
      else if (step < -180) offset += 360;
      out.push(offset ? [ring[i][0] + offset, ring[i][1]] : ring[i]);
    }
    return offset === 0 ? out : ring;
  }

  function unwrapAntimeridian(collection) {
    var features = (collection && collection.features) || [];
    for (var i = 0; i < features.length; i++) {
      var g = features[i].geometry;
      if (!g) continue;
      var polygons = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
      for (var p = 0; p < polygons.length; p++) {
        for (var r = 0; r < polygons[p].length; r++) polygons[p][r] = unwrapRing(polygons[p][r]);
      }
    }
  }

  // The country outlines (a world-atlas TopoJSON) as a Leaflet layer in a pane under the tiles, so
  // they show only where no tile covers them. Calls back with nothing when they cannot be had.
  function loadOutlines(map, url, attribution, done) {
    var topojson = window.topojson;
    if (!url || !topojson || typeof topojson.feature !== 'function' || typeof fetch !== 'function') {
      return done(null);
    }
    if (!map.getPane(OUTLINE_PANE)) {
      var pane = map.createPane(OUTLINE_PANE);
      pane.style.zIndex = 150; // under the tiles (200), the vectors (400) and the markers (600)
      pane.style.pointerEvents = 'none';
    }
    fetch(url, { credentials: 'same-origin' })
      .then(function (response) {
        if (!response.ok) throw new Error('outlines: HTTP ' + response.status);
        return response.json();
      })
      .then(function (topology) {
        var countries = topology && topology.objects && topology.objects.countries;
        if (!countries) throw new Error('outlines: no "countries" object');
        var features = topojson.feature(topology, countries);
        unwrapAntimeridian(features);
        done(window.L.geoJSON(features, {
          pane: OUTLINE_PANE,
          interactive: false,
          attribution: attribution,
          style: OUTLINE_STYLE,
        }));
      })
      .catch(function (err) {
        if (window.console) console.warn('finder map:', err);
        done(null);
      });
  }

  function initMap() {
    var container = document.getElementById('finder-map');
    if (!container) return;
    var L = window.L;
    if (!L || typeof L.map !== 'function') return; // Leaflet did not load: the list is enough.

    var tiles = container.getAttribute('data-tiles');
    var tileAttribution = attributionHtml(
      container.getAttribute('data-attribution'),
      container.getAttribute('data-attribution-url')
    );
    var outlinesUrl = container.getAttribute('data-outlines');
    var outlineAttribution = attributionHtml(
      container.getAttribute('data-outlines-attribution'),
      container.getAttribute('data-outlines-attribution-url')
    );

    var results = readResults(document.getElementById('finder-results'));

    container.setAttribute('aria-hidden', 'true');
    container.hidden = false;
    var layout = container.closest ? container.closest('.finder-layout') : null;
    if (layout) layout.classList.add('has-map'); // before Leaflet measures the container
    if (container.clientHeight === 0) container.style.height = DEFAULT_HEIGHT;

    L.Icon.Default.imagePath = '/static/vendor/leaflet/images/';

    // Without tiles the map is "outlines only": see the contract above.
    var outlinesOnly = !tiles;
    var map = L.map(container, {
      keyboard: false,
      attributionControl: true,
      scrollWheelZoom: false, // the page scrolls past the map instead of zooming it by surprise
      maxZoom: outlinesOnly ? OUTLINE_MAX_ZOOM : 19,
    });
    keepOutOfTabOrder(container);
    var outlineFitZoom = OUTLINE_FIT_ZOOM - (container.clientWidth < NARROW_MAP_PX ? 1 : 0);

    var outlinesAsked = false;
    function showOutlines() {
      if (outlinesAsked) return;
      outlinesAsked = true;
      container.classList.add('finder-map-outlines');
      loadOutlines(map, outlinesUrl, outlineAttribution, function (layer) {
        if (layer) layer.addTo(map);
      });
    }

    var hasCluster = typeof L.markerClusterGroup === 'function';
    if (hasCluster && L.MarkerCluster && L.MarkerCluster.mergeOptions) {
      // Cluster icons are markers too: keep them out of the tab order like the pins.
      L.MarkerCluster.mergeOptions({ keyboard: false });
    }

    // The results' layers: a pin each, or for an approximate location a 1 km circle (on tiles) or
    // a circle of fixed size (on outlines only, where 1 km is less than a pixel). Built again when
    // the map turns to outlines only (a cluster group reads the map's zoom range when added).
    var group = null;
    function showResults() {
      if (group) map.removeLayer(group);
      group = hasCluster
        ? L.markerClusterGroup({ showCoverageOnHover: false, spiderfyOnMaxZoom: true, maxClusterRadius: 60 })
        : L.featureGroup();
      for (var i = 0; i < results.length; i++) {
        var r = results[i];
        var at = L.latLng(r.lat, r.lon);
        var layerForResult = !r.approximate
          ? L.marker(at, { keyboard: false, title: r.title, alt: r.title })
          : outlinesOnly
            ? L.circleMarker(at, { radius: APPROXIMATE_RADIUS_PX, weight: 2, fillOpacity: 0.15 })
            : L.circle(at, { radius: APPROXIMATE_RADIUS_M, weight: 2, fillOpacity: 0.15 });
        layerForResult.bindPopup(popupContent(r));
        group.addLayer(layerForResult);
      }
      group.addTo(map);
    }

    if (tiles) {
      var status = document.getElementById('finder-map-status');
      var layer = L.tileLayer(tiles, {
        attribution: tileAttribution,
        maxZoom: 19,
        // The tile server's usage policy asks for a Referer; the site's own policy (same-origin)
        // would send none cross-origin, so tiles send the origin only.
        referrerPolicy: 'strict-origin-when-cross-origin',
      });
      var loaded = 0;
      var failed = 0;
      layer.on('tileload', function () {
        loaded++;
      });
      layer.on('tileerror', function () {
        failed++;
        if (status) status.hidden = false;
        showOutlines();
      });
      // 'load': every tile in view has loaded or failed. None loaded: drop the tiles (no more
      // requests that fail, no attribution for tiles that are not there) and go on with outlines.
      // (Leaflet still uses the layer's map right after firing 'load': remove it a moment later.)
      layer.on('load', function () {
        if (loaded > 0 || failed === 0 || outlinesOnly) return;
        outlinesOnly = true;
        setTimeout(function () {
          map.removeLayer(layer);
          map.setMaxZoom(OUTLINE_MAX_ZOOM);
          if (map.getZoom() > outlineFitZoom) map.setZoom(outlineFitZoom, { animate: false });
          showResults();
        }, 0);
      });
      layer.addTo(map);
    } else {
      showOutlines();
    }

    var bounds = null;
    for (var i = 0; i < results.length; i++) {
      var at = L.latLng(results[i].lat, results[i].lon);
      var extent = results[i].approximate ? at.toBounds(2 * APPROXIMATE_RADIUS_M) : L.latLngBounds(at, at);
      bounds = bounds ? bounds.extend(extent) : L.latLngBounds(extent.getSouthWest(), extent.getNorthEast());
    }
    var maxZoom = outlinesOnly ? outlineFitZoom : map.getMaxZoom();
    if (bounds) {
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: Math.min(MAX_FIT_ZOOM, maxZoom), animate: false });
    } else {
      var lat = number(container.getAttribute('data-center-lat'));
      var lon = number(container.getAttribute('data-center-lon'));
      var zoom = number(container.getAttribute('data-zoom'));
      if (!validLatLon(lat, lon)) {
        lat = 0;
        lon = 0;
        if (isNaN(zoom)) zoom = 2;
      }
      map.setView([lat, lon], Math.min(isNaN(zoom) ? 11 : zoom, maxZoom), { animate: false });
    }
    showResults();
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
