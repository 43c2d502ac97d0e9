/* Wegwijs console: live queue and live conversation over server-sent events.
   The pages work without this script; it only keeps them up to date.
   All data goes into the page with textContent. */
(function () {
  'use strict';
  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.getAttribute('content') : '';
  var main = document.getElementById('main');
  if (!main || !csrf) return;
  var pageKind = main.getAttribute('data-page');
  var convId = main.getAttribute('data-id');
  var seenCrisis = {};
  /* The supporter's language: the page carries the texts (fluent ids). */
  var texts = {};
  try { texts = JSON.parse(main.getAttribute('data-text') || '{}'); } catch (e) { texts = {}; }
  function tr(id, args) {
    var s = texts[id] || id;
    Object.keys(args || {}).forEach(function (k) { s = s.split('{' + k + '}').join(String(args[k])); });
    return s;
  }

  function el(tag, attrs, kids) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') e.textContent = attrs[k]; else e.setAttribute(k, attrs[k]);
    });
    (kids || []).forEach(function (c) { if (c) e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return e;
  }

  function post(url, data) {
    var body = new URLSearchParams(data);
    body.set('csrf', csrf);
    return fetch(url, { method: 'POST', headers: { Accept: 'application/json' }, body: body, credentials: 'same-origin' });
  }

  /* ---------- queue ---------- */
  function renderQueue(items) {
    var tbody = document.getElementById('queue-rows');
    if (!tbody) return;
    tbody.textContent = '';
    if (!items.length) tbody.appendChild(el('tr', {}, [el('td', { colspan: '6', text: tr('console-queue-empty') })]));
    var newCrisis = false, anyCrisis = false;
    items.forEach(function (q) {
      if (q.crisis) { anyCrisis = true; if (!seenCrisis[q.id]) { newCrisis = true; seenCrisis[q.id] = true; } }
      var claim = el('form', { method: 'post', action: '/console/c/' + encodeURIComponent(q.id) + '/claim' }, [
        el('input', { type: 'hidden', name: 'csrf', value: csrf }), el('button', { type: 'submit', text: tr('console-claim') }),
      ]);
      var look = el('a', { href: '/console/c/' + encodeURIComponent(q.id) }, [tr('console-view'), el('span', { class: 'sr', text: ' ' + tr('console-view-which', { position: q.position }) })]);
      var first = el('td', {}, [q.crisis ? el('span', { class: 'badge', text: tr('console-crisis-badge') }) : null, q.crisis ? ' ' : null, String(q.position)]);
      tbody.appendChild(el('tr', { class: q.crisis ? 'crisis' : '' }, [
        first, el('td', { text: q.reason_text }), el('td', { text: q.lang }), el('td', { text: q.topic || '–' }),
        el('td', { class: 'wait', 'data-secs': String(q.waiting_secs), text: q.waiting }), el('td', {}, [claim, ' ', look]),
      ]));
    });
    var status = document.getElementById('queue-status');
    if (status) status.textContent = tr('console-queue-count', { count: items.length });
    var alert = document.getElementById('crisis-alert');
    if (alert) {
      if (newCrisis) alert.textContent = tr('console-crisis-alert');
      if (!anyCrisis) alert.textContent = '';
    }
    var mark = '(!) ' + tr('console-crisis-badge') + ' · ';
    var title = document.title.indexOf(mark) === 0 ? document.title.slice(mark.length) : document.title;
    document.title = (anyCrisis ? mark : '') + title;
  }

  /* ---------- conversation ---------- */
  function renderLog(t) {
    var log = document.getElementById('log');
    if (!log) return;
    var items = t.messages.map(function (m) {
      var who = m.from === 'resident' ? tr('console-from-resident') : m.from === 'bot' ? tr('console-from-bot')
        : m.from === 'supporter' ? (m.name || tr('console-from-supporter')) : tr('console-from-system');
      var li = el('li', { class: 'msg from-' + m.from }, [el('p', { class: 'who', text: who })]);
      if (m.from === 'resident') {
        if (m.text) li.appendChild(el('p', { class: 'text', text: m.text }));
        else if (m.input) li.appendChild(el('p', { class: 'text', text: tr(m.input.type === 'tap' ? 'console-resident-tapped' : 'console-resident-chose', { what: m.input.label || m.input.value }) }));
        else if (m.purged) li.appendChild(el('p', { class: 'text', text: tr('console-text-purged') }));
      }
      (m.replies || []).forEach(function (r) {
        var d = el('div', { class: 'reply' });
        if (r.pictogram) d.appendChild(el('img', { src: '/pictograms/' + encodeURIComponent(r.pictogram) + '.svg', alt: r.pictogram_alt || '', width: '32', height: '32' }));
        d.appendChild(el('p', { class: 'text', text: r.message || r.text }));
        if (r.card) d.appendChild(el('p', { class: 'card', text: tr('console-card', { service: r.card.name, phone: (r.card.contact || {}).phone || '' }) }));
        if (r.choices && r.choices.length) {
          d.appendChild(el('ul', { class: 'chips' }, r.choices.map(function (c) {
            return el('li', {}, [c.pictogram ? el('img', { src: '/pictograms/' + encodeURIComponent(c.pictogram) + '.svg', alt: '', width: '24', height: '24' }) : null, c.label]);
          })));
        }
        li.appendChild(d);
      });
      return li;
    });
    log.textContent = '';
    items.forEach(function (li) { log.appendChild(li); });
  }

  var refreshing = false, again = false;
  function refresh() {
    if (refreshing) { again = true; return; }
    refreshing = true;
    fetch('/console/c/' + encodeURIComponent(convId) + '/messages', { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (t) {
        if (t) {
          renderLog(t);
          var st = document.getElementById('conv-state');
          var mode = t.state && t.state.state;
          var form = document.getElementById('reply-form');
          if (form && mode !== 'with_supporter') location.reload();
          if (!form && mode === 'with_supporter' && st && st.getAttribute('data-claimed') !== '1') { /* someone else */ }
        }
      })
      .finally(function () { refreshing = false; if (again) { again = false; refresh(); } });
  }

  function showError(r) {
    var box = document.getElementById('conv-state');
    return r.json().then(function (j) { if (box) box.textContent = (j.error && j.error.message) || tr('console-error'); }, function () {});
  }

  function wireForms() {
    var form = document.getElementById('reply-form');
    if (form) {
      var text = form.querySelector('textarea');
      var last = 0;
      text.addEventListener('input', function () {
        var now = Date.now();
        if (now - last > 3000) { last = now; post(form.getAttribute('data-typing'), {}); }
      });
      form.addEventListener('submit', function (e) {
        e.preventDefault();
        if (!text.value.trim()) return;
        post(form.getAttribute('action'), { text: text.value }).then(function (r) {
          if (r.ok) { text.value = ''; text.focus(); refresh(); } else showError(r);
        });
      });
    }
    Array.prototype.forEach.call(document.querySelectorAll('form.canned'), function (f) {
      f.addEventListener('submit', function (e) {
        e.preventDefault();
        var t = f.querySelector('input[name="text"]').value;
        post(f.getAttribute('action'), { text: t }).then(function (r) { if (r.ok) refresh(); else showError(r); });
      });
    });
  }

  /* Waiting times keep counting between queue updates. */
  function fmt(secs) {
    if (secs < 60) return tr('console-duration-seconds', { seconds: secs });
    if (secs < 3600) return tr('console-duration-minutes', { minutes: Math.floor(secs / 60) });
    return tr('console-duration-hours', { hours: Math.floor(secs / 3600), minutes: Math.floor((secs % 3600) / 60) });
  }
  function tick() {
    var now = Date.now() / 1000;
    Array.prototype.forEach.call(document.querySelectorAll('td.wait[data-secs]'), function (td) {
      if (!td.dataset.since) td.dataset.since = String(now - Number(td.dataset.secs));
      td.textContent = fmt(Math.max(0, Math.round(now - Number(td.dataset.since))));
    });
  }
  if (pageKind === 'queue') setInterval(tick, 5000);

  if (typeof EventSource !== 'undefined' && (pageKind === 'queue' || pageKind === 'conversation')) {
    var es = new EventSource('/console/events');
    es.addEventListener('queue', function (e) { if (pageKind === 'queue') renderQueue(JSON.parse(e.data)); });
    es.addEventListener('message', function (e) {
      var d = JSON.parse(e.data);
      if (pageKind === 'conversation' && d.conversation === convId) refresh();
    });
    es.addEventListener('resync', function () { if (pageKind === 'conversation') refresh(); });
  }
  if (pageKind === 'conversation') wireForms();
})();
