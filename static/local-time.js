// Shows an event's time also in the visitor's own time zone, when it differs.
// Contract: <time datetime="RFC 3339" data-local-time data-event-zone="IANA zone"> followed by
// <span class="local-time" hidden>. The page reads fine without this script.
(function () {
  'use strict';
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  var lang = document.documentElement.lang || 'en';
  document.querySelectorAll('time[data-local-time]').forEach(function (el) {
    if (!zone || el.dataset.eventZone === zone) return;
    var when = new Date(el.getAttribute('datetime'));
    if (isNaN(when.getTime())) return;
    var out = el.parentNode.querySelector('.local-time');
    if (!out) return;
    var text = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short', timeZone: zone }).format(when);
    out.textContent = ' — ' + text + ' (' + zone + ')';
    out.hidden = false;
  });
})();
