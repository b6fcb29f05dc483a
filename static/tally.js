// Live tally numbers: listens to the campaign's server-sent events and updates every
// [data-tally="field"] inside the element carrying data-tally-stream. Without JavaScript (or
// without EventSource) the numbers rendered by the server stay as they are.
(function () {
  'use strict';
  var root = document.querySelector('[data-tally-stream]');
  if (!root || !window.EventSource) return;
  var lang = document.documentElement.lang || 'en';
  var format = new Intl.NumberFormat(lang);
  var source = new EventSource(root.getAttribute('data-tally-stream'));
  source.addEventListener('tally', function (e) {
    var tally;
    try { tally = JSON.parse(e.data); } catch (err) { return; }
    var totals = tally.totals || {};
    document.querySelectorAll('[data-tally]').forEach(function (el) {
      var field = el.getAttribute('data-tally');
      var value = field === 'sum' ? (totals.letters || 0) + (totals.solidarity || 0) : totals[field];
      if (typeof value === 'number') el.textContent = format.format(value);
    });
  });
})();
