// Tocsin incident board: refreshes the server-rendered fragment when the incident-events topic
// changes an incident (server-sent events from /board/events). Works without it: reload the page.
(function () {
  'use strict';
  var live = document.getElementById('live');
  var target = document.getElementById('incident') || document.getElementById('open');
  if (!target || !window.EventSource) {
    if (live) live.textContent = 'not live: reload to update';
    return;
  }
  var only = target.getAttribute('data-incident');
  var url = target.getAttribute('data-fragment');
  var timer = null, inFlight = false, again = false;
  function refresh() {
    timer = null;
    if (inFlight) { again = true; return; }
    inFlight = true;
    fetch(url, { credentials: 'same-origin', cache: 'no-store' })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (html !== null) {
          // Keep open <details> open across the refresh.
          var open = {};
          target.querySelectorAll('details[open] summary').forEach(function (s, i) { open[i] = true; });
          target.innerHTML = html;
          target.querySelectorAll('details summary').forEach(function (s, i) { if (open[i]) s.parentNode.open = true; });
          target.setAttribute('data-updated', String(Date.now()));
        }
      })
      .catch(function () {})
      .then(function () { inFlight = false; if (again) { again = false; schedule(); } });
  }
  function schedule() { if (!timer) timer = setTimeout(refresh, 250); }
  var es = new EventSource('/board/events');
  es.addEventListener('incident', function (e) { if (!only || e.data === only) schedule(); });
  es.addEventListener('reload', schedule);
  es.onopen = function () { live.textContent = 'live'; live.className = 'live on'; schedule(); };
  es.onerror = function () { live.textContent = 'reconnecting\u2026'; live.className = 'live off'; };
})();
