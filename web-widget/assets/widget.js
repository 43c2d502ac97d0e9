/* Wegwijs chat widget. Embed with one tag:
 *   <script src="https://YOUR-WEGWIJS/widget.js" defer></script>
 * Everything the widget shows goes into the page with textContent: it never
 * parses text (from the server or the resident) as HTML. */
(function () {
  'use strict';
  if (window.__wegwijs) return;
  window.__wegwijs = true;

  var script = document.currentScript;
  var BASE = new URL(script && script.src ? script.src : '/widget.js', location.href).origin;
  var KEY = 'wegwijs.conversation';
  var PREFS = 'wegwijs.prefs';
  var LANGS = ['nl', 'en', 'tr', 'ar', 'pl', 'uk'];
  var SPEECH = { nl: 'nl-NL', en: 'en-GB', tr: 'tr-TR', ar: 'ar', pl: 'pl-PL', uk: 'uk-UA' };

  var S = {
    conv: null, // {id, token}
    lang: 'nl',
    strings: {},
    languages: [],
    attribution: '',
    prefs: { mode: 'pictures', large: false, lang: null },
    es: null,
    lastSeq: -1,
    busy: false,
    started: false,
    typingTimer: null,
  };
  var ui = {};

  function load(k) {
    try { return JSON.parse(localStorage.getItem(k) || 'null'); } catch (e) { return null; }
  }
  function save(k, v) {
    try { if (v === null) localStorage.removeItem(k); else localStorage.setItem(k, JSON.stringify(v)); } catch (e) { /* private mode */ }
  }

  /* el('button', {class: 'x', 'aria-label': '...'}, ['text', child]) */
  function el(tag, attrs, kids) {
    var e = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === null || v === undefined || v === false) return;
        if (k === 'text') e.textContent = v;
        else if (k === 'hidden') e.hidden = true;
        else e.setAttribute(k, v === true ? '' : String(v));
      });
    }
    (kids || []).forEach(function (c) {
      if (c === null || c === undefined) return;
      e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return e;
  }

  /* In a right-to-left language, every run of Latin letters and digits (a
   * phone number, time, postcode, web address, Dutch name or sentence) is
   * isolated left to right, as locales::isolate_ltr does for Telegram:
   * otherwise "088 555 14 10" shows as "10 14 555 088". Returns nodes for el(). */
  var LTR_RUN = /[A-Za-z0-9\u00C0-\u024F][A-Za-z0-9\u00C0-\u024F .,:\-\/+()'@?=&_%#]*/g;
  function bidi(text) {
    text = String(text === null || text === undefined ? '' : text);
    if (S.dir !== 'rtl') return [text];
    var out = [], last = 0, m;
    LTR_RUN.lastIndex = 0;
    while ((m = LTR_RUN.exec(text)) !== null) {
      // A full stop after a name ends the Arabic sentence; a Dutch sentence
      // that is the whole text keeps its own.
      var whole = m.index === 0 && m[0].length === text.length;
      var run = m[0].replace(whole ? /[ ,:(\-\/]+$/ : /[ ,:(\-\/.!?]+$/, '');
      // A closing bracket whose opening one stands outside belongs outside too.
      while (/\)$/.test(run) && run.split(')').length > run.split('(').length) run = run.slice(0, -1);
      if (m.index > last) out.push(text.slice(last, m.index));
      out.push(el('bdi', { dir: 'ltr', text: run }));
      last = m.index + run.length;
      LTR_RUN.lastIndex = last;
    }
    if (last < text.length) out.push(text.slice(last));
    return out;
  }

  /* A number, time or address: always left to right, in any language. */
  function ltr(text) { return el('bdi', { dir: 'ltr', text: text }); }

  function t(key, args) {
    var s = S.strings[key] || key;
    Object.keys(args || {}).forEach(function (k) { s = s.split('{' + k + '}').join(String(args[k])); });
    return s;
  }

  function pic(concept, alt, size) {
    if (!concept) return null;
    return el('img', { src: BASE + '/pictograms/' + encodeURIComponent(concept) + '.svg', alt: alt || '', width: size || 48, height: size || 48, class: 'ww-pic', decoding: 'async' });
  }

  function api(method, path, body) {
    var h = { Accept: 'application/json' };
    if (body !== undefined) h['Content-Type'] = 'application/json';
    if (S.conv) h.Authorization = 'Bearer ' + S.conv.token;
    return fetch(BASE + path, { method: method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) }).then(function (r) {
      if (r.status === 204) return { status: 204, body: {} };
      return r.json().then(function (j) { return { status: r.status, body: j }; }, function () { return { status: r.status, body: {} }; });
    });
  }

  function loadStrings(lang) {
    return fetch(BASE + '/api/v1/ui/' + lang).then(function (r) { return r.json(); }).then(function (j) {
      S.lang = j.lang;
      S.strings = j.strings;
      S.languages = j.languages;
      S.attribution = j.attribution;
      S.maxText = j.max_text || 2000;
      S.dir = j.dir || 'ltr';
      applyStrings(j.dir);
    });
  }

  /* ---------- building the widget ---------- */

  function build() {
    if (!document.querySelector('link[data-wegwijs]')) {
      document.head.appendChild(el('link', { rel: 'stylesheet', href: BASE + '/widget.css', 'data-wegwijs': '' }));
    }
    var root = el('div', { class: 'ww-root', id: 'wegwijs' });
    ui.launcher = el('button', { type: 'button', class: 'ww-launcher', 'aria-expanded': 'false', 'aria-controls': 'ww-panel' }, [
      pic('person', '', 40), ui.launcherText = el('span', { class: 'ww-launcher-text' }),
    ]);
    ui.title = el('h2', { id: 'ww-title', class: 'ww-title', tabindex: '-1' });
    ui.subtitle = el('p', { class: 'ww-subtitle' });
    ui.close = el('button', { type: 'button', class: 'ww-close' }, [el('span', { 'aria-hidden': 'true', text: '×' }), ui.closeText = el('span', { class: 'ww-sr' })]);
    ui.langLabel = el('label', { for: 'ww-lang', class: 'ww-lang-label' });
    ui.lang = el('select', { id: 'ww-lang', class: 'ww-select' });
    ui.modePics = el('button', { type: 'button', class: 'ww-toggle', 'aria-pressed': 'true' }, [ui.modePicsText = el('span')]);
    ui.modeText = el('button', { type: 'button', class: 'ww-toggle', 'aria-pressed': 'false' }, [ui.modeTextText = el('span')]);
    ui.modeGroup = el('div', { class: 'ww-mode', role: 'group', 'aria-labelledby': 'ww-mode-label' }, [
      ui.modeLabel = el('span', { id: 'ww-mode-label', class: 'ww-sr' }), ui.modePics, ui.modeText,
    ]);
    ui.large = el('button', { type: 'button', class: 'ww-toggle', 'aria-pressed': 'false' }, [el('span', { class: 'ww-aa', 'aria-hidden': 'true', text: 'A+' }), ui.largeText = el('span')]);
    ui.banner = el('p', { class: 'ww-banner', hidden: true });
    ui.status = el('p', { class: 'ww-status', role: 'status' });
    ui.logTitle = el('h3', { id: 'ww-log-title', class: 'ww-sr' });
    ui.log = el('div', { class: 'ww-log', role: 'log', 'aria-live': 'polite', 'aria-labelledby': 'ww-log-title', tabindex: '0' });
    ui.prompt = el('p', { id: 'ww-prompt', class: 'ww-prompt' });
    ui.tiles = el('ul', { class: 'ww-tiles' });
    ui.choices = el('div', { class: 'ww-choices', role: 'group', 'aria-labelledby': 'ww-prompt', hidden: true }, [ui.prompt, ui.tiles]);
    ui.actions = el('div', { class: 'ww-actions', role: 'group', 'aria-labelledby': 'ww-prompt', hidden: true });
    ui.person = navButton('person', 'person');
    ui.back = navButton('back', 'back');
    ui.home = navButton('home', 'home');
    ui.nav = el('nav', { class: 'ww-nav' }, [ui.person, ui.back, ui.home]);
    ui.inputLabel = el('label', { for: 'ww-input', class: 'ww-input-label' });
    ui.input = el('textarea', { id: 'ww-input', class: 'ww-input', rows: '2', maxlength: '2000', autocomplete: 'off' });
    ui.send = el('button', { type: 'submit', class: 'ww-send' });
    ui.form = el('form', { class: 'ww-compose', novalidate: true }, [ui.inputLabel, el('div', { class: 'ww-compose-row' }, [ui.input, ui.send])]);
    ui.privacy = el('p', { class: 'ww-privacy' });
    ui.del = el('button', { type: 'button', class: 'ww-link-button' });
    ui.aboutSummary = el('summary');
    ui.aboutText = el('p');
    ui.attribution = el('p', { class: 'ww-attribution' });
    ui.about = el('details', { class: 'ww-about' }, [ui.aboutSummary, ui.aboutText, ui.attribution]);
    ui.panel = el('section', { id: 'ww-panel', class: 'ww-panel', 'aria-labelledby': 'ww-title', hidden: true }, [
      el('header', { class: 'ww-head' }, [pic('person', '', 40), el('div', { class: 'ww-head-text' }, [ui.title, ui.subtitle]), ui.close]),
      el('div', { class: 'ww-settings' }, [el('div', { class: 'ww-lang-wrap' }, [ui.langLabel, ui.lang]), ui.modeGroup, ui.large]),
      ui.banner,
      ui.logTitle,
      ui.log,
      ui.status,
      ui.choices,
      ui.actions,
      ui.nav,
      ui.form,
      el('footer', { class: 'ww-foot' }, [ui.privacy, ui.del, ui.about]),
    ]);
    root.appendChild(ui.panel);
    root.appendChild(ui.launcher);
    document.body.appendChild(root);

    ui.launcher.addEventListener('click', function () { toggle(ui.panel.hidden); });
    ui.close.addEventListener('click', function () { toggle(false); });
    ui.panel.addEventListener('keydown', onKey);
    ui.modePics.addEventListener('click', function () { setMode('pictures'); });
    ui.modeText.addEventListener('click', function () { setMode('text'); });
    ui.large.addEventListener('click', function () { S.prefs.large = !S.prefs.large; save(PREFS, S.prefs); applyPrefs(); });
    ui.lang.addEventListener('change', function () { chooseLang(ui.lang.value); });
    ui.form.addEventListener('submit', function (e) {
      e.preventDefault();
      var text = ui.input.value.trim();
      if (!text) return;
      if (text.length > (S.maxText || 2000)) { say(t('too-long', { max: S.maxText })); return; }
      send({ text: text }, text).then(function (ok) { if (ok) ui.input.value = ''; });
    });
    ui.input.addEventListener('keydown', function (e) {
      if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); ui.form.requestSubmit ? ui.form.requestSubmit() : ui.send.click(); }
    });
    ui.del.addEventListener('click', function () { send({ button: 'delete' }, t('web-delete')); });
    applyPrefs();
  }

  function navButton(id, concept) {
    var b = el('button', { type: 'button', class: 'ww-navbtn', 'data-id': id }, [pic(concept, '', 28), el('span', { class: 'ww-navlabel' })]);
    b.addEventListener('click', function () { send({ button: id }, b.textContent); });
    return b;
  }

  function applyStrings(dir) {
    ui.panel.setAttribute('lang', S.lang);
    ui.panel.setAttribute('dir', dir || 'ltr');
    ui.launcher.setAttribute('lang', S.lang);
    ui.launcher.setAttribute('dir', dir || 'ltr');
    ui.launcherText.textContent = t('web-launcher');
    ui.title.textContent = t('web-title');
    ui.subtitle.textContent = t('web-subtitle');
    ui.closeText.textContent = t('web-close');
    ui.close.setAttribute('aria-label', t('web-close'));
    ui.langLabel.textContent = t('web-language');
    ui.modeLabel.textContent = t('web-mode-label');
    ui.modePicsText.textContent = t('web-mode-pictures');
    ui.modeTextText.textContent = t('web-mode-text');
    ui.largeText.textContent = t('web-larger-text');
    ui.logTitle.textContent = t('web-log');
    ui.nav.setAttribute('aria-label', t('web-nav'));
    ui.person.lastChild.textContent = t('btn-person');
    ui.back.lastChild.textContent = t('btn-back');
    ui.home.lastChild.textContent = t('btn-home');
    ui.inputLabel.textContent = t('web-input-label');
    ui.send.textContent = t('web-send');
    ui.privacy.textContent = t('web-privacy');
    ui.del.textContent = t('web-delete');
    ui.aboutSummary.textContent = t('web-about');
    ui.aboutText.textContent = t('web-about-text');
    ui.attribution.textContent = S.attribution;
    if (!ui.lang.options.length) {
      S.languages.forEach(function (l) { ui.lang.appendChild(el('option', { value: l.code, lang: l.code, text: l.name })); });
    }
    ui.lang.value = S.lang;
    if (!ui.prompt.textContent) ui.prompt.textContent = t('web-choices');
  }

  function applyPrefs() {
    var pics = S.prefs.mode !== 'text';
    ui.panel.classList.toggle('ww-mode-text', !pics);
    ui.panel.classList.toggle('ww-large', !!S.prefs.large);
    ui.modePics.setAttribute('aria-pressed', String(pics));
    ui.modeText.setAttribute('aria-pressed', String(!pics));
    ui.large.setAttribute('aria-pressed', String(!!S.prefs.large));
  }

  function setMode(m) { S.prefs.mode = m; save(PREFS, S.prefs); applyPrefs(); }

  /* Open or close the panel. Opening by the resident moves focus into it;
     reopening by itself after a page reload does not. */
  function toggle(open, quiet) {
    ui.panel.hidden = !open;
    ui.launcher.setAttribute('aria-expanded', String(open));
    ui.launcher.hidden = open;
    if (open) {
      if (!quiet) ui.title.focus();
      if (!S.started) { S.started = true; start(); }
    } else {
      ui.launcher.focus();
    }
  }

  function onKey(e) {
    if (e.key === 'Escape') { toggle(false); return; }
    var tag = (e.target.tagName || '').toLowerCase();
    if (tag === 'textarea' || tag === 'input' || tag === 'select') return;
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (/^[1-9]$/.test(e.key)) {
      var tile = ui.tiles.querySelectorAll('button')[Number(e.key) - 1];
      if (tile) { e.preventDefault(); tile.click(); }
    }
  }

  /* ---------- conversation ---------- */

  function start() {
    var stored = load(KEY);
    if (stored && stored.id && stored.token) {
      S.conv = stored;
      return resume().then(function (ok) { if (!ok) return create(); });
    }
    return create();
  }

  function create() {
    S.conv = null;
    var body = S.prefs.lang ? { lang: S.prefs.lang } : {};
    return api('POST', '/api/v1/conversations', body).then(function (r) {
      if (r.status !== 201) { showError(r); return; }
      S.conv = { id: r.body.id, token: r.body.token };
      save(KEY, S.conv);
      S.lastSeq = 0;
      var p = r.body.lang !== S.lang ? loadStrings(r.body.lang) : Promise.resolve();
      return p.then(function () {
        showReplies(r.body.replies, false);
        listen();
      });
    }, offline);
  }

  /* Show the whole conversation again (after a reload). */
  function resume() {
    return api('GET', '/api/v1/conversations/' + encodeURIComponent(S.conv.id)).then(function (r) {
      if (r.status !== 200) { save(KEY, null); S.conv = null; return false; }
      var c = r.body;
      var p = c.lang !== S.lang ? loadStrings(c.lang) : Promise.resolve();
      return p.then(function () {
        ui.log.setAttribute('aria-busy', 'true');
        ui.log.textContent = '';
        var last = null;
        c.messages.forEach(function (m) {
          S.lastSeq = Math.max(S.lastSeq, m.seq);
          if (m.from === 'resident') {
            var label = m.text || (m.input && (m.input.label || m.input.value)) || '';
            if (m.input && m.input.type !== 'text') label = t('web-you-chose', { choice: label });
            if (label) mine(label);
          } else if (m.replies && m.replies.length) {
            m.replies.forEach(function (rep) { showReply(rep); });
            last = m.replies;
          }
        });
        ui.log.removeAttribute('aria-busy');
        if (last) setChoices(last, false);
        if (c.state && c.state.state === 'with_supporter') setBanner(t('web-person-joined', { name: c.state.supporter }));
        scrollLog();
        listen();
        return true;
      });
    }, function () { offline(); return true; });
  }

  function send(input, echo) {
    if (S.busy || !S.conv) return Promise.resolve(false);
    S.busy = true;
    var moveFocus = ui.choices.contains(document.activeElement) || ui.actions.contains(document.activeElement) || ui.nav.contains(document.activeElement);
    return api('POST', '/api/v1/conversations/' + encodeURIComponent(S.conv.id) + '/messages', input).then(function (r) {
      S.busy = false;
      if (r.status === 404) { forget(); return false; }
      if (r.status !== 200) { showError(r); return false; }
      if (typeof r.body.seq === 'number') S.lastSeq = Math.max(S.lastSeq, r.body.seq);
      mine(input.text !== undefined ? echo : t('web-you-chose', { choice: echo }));
      var p = r.body.lang && r.body.lang !== S.lang ? loadStrings(r.body.lang) : Promise.resolve();
      return p.then(function () {
        showReplies(r.body.replies, moveFocus);
        if (r.body.state && r.body.state.state === 'deleted') forget();
        return true;
      });
    }, function () { S.busy = false; offline(); return false; });
  }

  function chooseLang(code) {
    if (LANGS.indexOf(code) < 0) return;
    S.prefs.lang = code;
    save(PREFS, S.prefs);
    loadStrings(code).then(function () {
      if (S.conv) send({ button: 'lang:' + code }, S.languages.filter(function (l) { return l.code === code; }).map(function (l) { return l.name; })[0] || code);
    });
  }

  function forget() {
    save(KEY, null);
    S.conv = null;
    if (S.es) { S.es.close(); S.es = null; }
    setBanner('');
    clearChoices();
    var again = el('button', { type: 'button', class: 'ww-btn' }, [t('web-new-conversation')]);
    again.addEventListener('click', function () { ui.log.textContent = ''; create(); });
    ui.actions.appendChild(again);
    ui.actions.hidden = false;
  }

  /* Live updates: a supporter's messages, typing, the place in the queue. */
  function listen() {
    if (S.es) S.es.close();
    if (!S.conv || typeof EventSource === 'undefined') return;
    var url = BASE + '/api/v1/conversations/' + encodeURIComponent(S.conv.id) + '/events?token=' + encodeURIComponent(S.conv.token);
    var es = new EventSource(url);
    S.es = es;
    es.addEventListener('ready', function (e) {
      var d = JSON.parse(e.data);
      if (d.seq > S.lastSeq && S.lastSeq >= 0 && S.resyncOnReady) resume();
      S.resyncOnReady = true;
    });
    es.addEventListener('replies', function (e) {
      var d = JSON.parse(e.data);
      if (d.seq <= S.lastSeq) return;
      S.lastSeq = d.seq;
      setStatus('');
      showReplies(d.replies, false);
    });
    es.addEventListener('typing', function (e) {
      var d = JSON.parse(e.data);
      setStatus(t('web-typing', { name: d.supporter }));
      clearTimeout(S.typingTimer);
      S.typingTimer = setTimeout(function () { setStatus(''); }, 6000);
    });
    es.addEventListener('queue', function (e) {
      var d = JSON.parse(e.data);
      setStatus(t('web-waiting', { position: d.position, minutes: d.expected_minutes }));
    });
    es.addEventListener('resync', function () { resume(); });
    es.addEventListener('deleted', function () { es.close(); if (S.conv) forget(); });
  }

  /* ---------- rendering ---------- */

  function showReplies(replies, moveFocus) {
    S.crisisNode = null;
    replies.forEach(showReply);
    setChoices(replies, moveFocus);
    scrollLog();
    // A crisis card's top, with 112 and 113, is what must be in view, on a
    // phone too, where the whole panel scrolls (after focus moved, so it wins).
    if (S.crisisNode) S.crisisNode.scrollIntoView({ block: 'start' });
  }

  function scrollLog() { ui.log.scrollTop = ui.log.scrollHeight; }

  function mine(text) {
    ui.log.appendChild(el('div', { class: 'ww-msg ww-me' }, [el('span', { class: 'ww-sr', text: t('web-you') + ': ' }), el('p', { class: 'ww-text', text: text })]));
    scrollLog();
  }

  function showReply(r) {
    var sup = r.kind === 'supporter';
    var kids = [];
    if (sup) kids.push(el('p', { class: 'ww-who', text: r.intro }));
    else if (r.pictogram) kids.push(pic(r.pictogram, '', 48));
    var body = sup ? r.message : r.text;
    var tels = (r.buttons || []).filter(function (b) { return b.id.indexOf('tel:') === 0; });
    // The numbers stay in the log, whatever comes after: the crisis card's
    // (first, so they are in view at once), and 112 and 113 under "not
    // understood", whatever language that was.
    var telRow = tels.length ? el('p', { class: 'ww-tels' }, tels.map(function (b) {
      return el('a', { class: 'ww-btn ww-tel', href: b.id }, [pic('phone', '', 24), t('web-card-call') + ' ', ltr(b.label)]);
    })) : null;
    if (r.kind === 'crisis') kids.push(telRow);
    // dir=auto: a supporter's Dutch sentence in an Arabic page keeps its full stop at the end.
    kids.push(el('p', { class: 'ww-text', dir: 'auto' }, bidi(body)));
    if (r.card) kids.push(card(r.card));
    if (r.kind !== 'crisis') kids.push(telRow);
    var spoken = (sup ? r.intro + ' ' : '') + body + (r.card ? '. ' + r.card.name + '. ' + r.card.summary : '');
    var speak = el('button', { type: 'button', class: 'ww-speak' }, [pic('speaker', '', 24), el('span', { text: t('web-read-aloud') })]);
    speak.addEventListener('click', function () { readAloud(spoken); });
    kids.push(speak);
    var cls = 'ww-msg ' + (sup ? 'ww-sup' : 'ww-bot') + (r.kind === 'crisis' ? ' ww-crisis' : '');
    var node = el('div', { class: cls }, kids);
    ui.log.appendChild(node);
    if (r.kind === 'crisis') S.crisisNode = node;
    if (r.handover) {
      var h = r.handover;
      if (h.state === 'joined') { setBanner(t('web-person-joined', { name: h.supporter })); setStatus(''); }
      if (h.state === 'left' || h.state === 'closed') setBanner('');
      if (h.state === 'queued') setStatus(t('web-waiting', { position: h.position, minutes: h.expected_minutes }));
      if (h.state === 'unstaffed') setStatus(t('web-waiting-unstaffed', { position: h.position }));
    }
  }

  function safeUrl(u) {
    try { var x = new URL(u, location.href); return x.protocol === 'https:' || x.protocol === 'http:' ? x.href : null; } catch (e) { return null; }
  }

  function card(c) {
    // Service texts come in the resident's language; the Dutch name stands
    // beside a translated one, isolated as Dutch (they need it at the counter).
    var cl = S.lang;
    var title = bidi(c.name);
    if (c.name_nl) title = title.concat([' — ', el('bdi', { lang: 'nl', dir: 'ltr', class: 'ww-name-nl', text: c.name_nl })]);
    var k = [el('h3', { class: 'ww-card-title', lang: cl, dir: 'auto' }, title)];
    if (c.contact && c.contact.demo) k.push(el('p', { class: 'ww-demo', text: t('web-card-demo') }));
    k.push(el('p', { lang: cl, dir: 'auto' }, bidi(c.summary)));
    if (c.steps && c.steps.length) {
      k.push(el('h4', { text: t('web-card-steps') }));
      k.push(el('ol', { lang: cl }, c.steps.map(function (s) { return el('li', { dir: 'auto' }, bidi(s)); })));
    }
    if (c.bring && c.bring.length) {
      k.push(el('h4', {}, [pic('bring', '', 24), t('web-card-bring')]));
      k.push(el('ul', { lang: cl }, c.bring.map(function (s) { return el('li', { dir: 'auto' }, bidi(s)); })));
    }
    var ct = c.contact || {};
    k.push(el('p', { class: 'ww-open ' + (c.open_now ? 'ww-is-open' : 'ww-is-closed') }, [pic('clock', '', 24), c.open_now ? t('web-card-open-now') : t('web-card-closed-now')]));
    if (ct.hours && ct.hours.length) {
      var hours = [t('web-card-hours') + ': '];
      ct.hours.forEach(function (h, i) { if (i) hours.push(', '); hours.push(el('bdi', { dir: 'ltr', lang: 'nl', text: h })); });
      k.push(el('p', {}, hours));
    }
    if (ct.phone) {
      k.push(el('p', {}, [el('a', { class: 'ww-call', href: 'tel:' + (ct.tel || ct.phone) }, [pic('phone', '', 28), t('web-card-call') + ' ', ltr(ct.phone)])]));
    }
    var web = ct.website && safeUrl(ct.website);
    if (web) k.push(el('p', {}, [el('a', { href: web, target: '_blank', rel: 'noopener noreferrer' }, [t('web-card-website') + ': ', el('bdi', { lang: 'nl', text: ct.organisation || ct.website })])]));
    return el('div', { class: 'ww-card' }, k);
  }

  function clearChoices() {
    ui.tiles.textContent = '';
    ui.actions.textContent = '';
    ui.choices.hidden = true;
    ui.actions.hidden = true;
  }

  /* The tiles and buttons of the newest replies replace the old ones. */
  function setChoices(replies, moveFocus) {
    // Tiles come from the last menu; buttons from every reply (a crisis card's
    // phone numbers and the queue's "stop" belong together).
    var withChoices = null, buttons = [], prompt = null, seen = {};
    replies.forEach(function (r) {
      if (r.choices && r.choices.length) { withChoices = r; prompt = r.text; }
      (r.buttons || []).forEach(function (b) {
        if (seen[b.id]) return;
        seen[b.id] = true;
        buttons.push(b);
        if (!withChoices) prompt = r.text;
      });
    });
    var withButtons = buttons.length ? { buttons: buttons } : null;
    var joined = replies.some(function (r) { return r.handover && r.handover.state === 'joined'; });
    if (!joined && !withChoices && !withButtons && !replies.some(function (r) { return r.kind !== 'supporter' && r.kind !== 'handover'; })) return;
    clearChoices();
    ui.prompt.textContent = prompt || t('web-choices');
    if (withChoices) {
      withChoices.choices.forEach(function (c, i) {
        var b = el('button', { type: 'button', class: 'ww-tile', 'data-id': c.id }, [
          pic(c.pictogram, '', 72), el('span', { class: 'ww-num', text: String(i + 1) }), el('span', { class: 'ww-sr', text: '. ' }),
          el('span', { class: 'ww-label', lang: S.lang, text: c.label }),
        ]);
        b.addEventListener('click', function () { send({ tap: c.id }, c.label); });
        ui.tiles.appendChild(el('li', {}, [b]));
      });
      ui.choices.hidden = false;
    }
    if (withButtons) {
      withButtons.buttons.forEach(function (c) {
        // Person, back and home are always in the nav bar; phone numbers are in the log.
        if (c.id === 'person' || c.id === 'back' || c.id === 'home' || c.id.indexOf('tel:') === 0) return;
        var node = el('button', { type: 'button', class: 'ww-btn', 'data-id': c.id }, [c.pictogram && c.pictogram !== 'language' ? pic(c.pictogram, '', 24) : null, c.label]);
        if (c.id.indexOf('lang:') === 0) node.setAttribute('lang', c.id.slice(5));
        node.addEventListener('click', function () {
          if (c.id.indexOf('lang:') === 0) { chooseLang(c.id.slice(5)); return; }
          send({ button: c.id }, c.label);
        });
        ui.actions.appendChild(node);
      });
      ui.actions.hidden = !ui.actions.children.length;
      if (!withChoices) ui.actions.setAttribute('aria-labelledby', 'ww-prompt');
    }
    if (moveFocus) {
      var first = ui.tiles.querySelector('button') || ui.actions.querySelector('button, a') || ui.input;
      first.focus();
    }
  }

  function setBanner(text) {
    ui.banner.textContent = text;
    ui.banner.hidden = !text;
  }

  function setStatus(text) { ui.status.textContent = text; }

  function say(text) { setStatus(text); }

  function showError(r) {
    var code = r.body && r.body.error && r.body.error.code;
    if (code === 'rate_limited') say(t('web-rate-limited'));
    else if (code === 'text_too_long') say(r.body.error.message);
    else say(t('web-error'));
  }

  function offline() { say(t('web-offline')); }

  function readAloud(text) {
    var synth = window.speechSynthesis;
    if (!synth || typeof SpeechSynthesisUtterance === 'undefined') return;
    var u = new SpeechSynthesisUtterance(text);
    u.lang = SPEECH[S.lang] || 'nl-NL';
    var voices = synth.getVoices() || [];
    var want = u.lang.toLowerCase();
    var v = voices.filter(function (x) { return x.lang && x.lang.toLowerCase() === want; })[0] ||
      voices.filter(function (x) { return x.lang && x.lang.toLowerCase().indexOf(S.lang) === 0; })[0];
    if (v) u.voice = v;
    synth.cancel();
    synth.speak(u);
  }

  /* ---------- go ---------- */

  function init() {
    S.prefs = Object.assign(S.prefs, load(PREFS) || {});
    var host = (document.documentElement.lang || 'nl').slice(0, 2).toLowerCase();
    var lang = S.prefs.lang || (LANGS.indexOf(host) >= 0 ? host : 'nl');
    build();
    loadStrings(lang).then(function () {
      if (load(KEY) || location.hash === '#wegwijs') toggle(true, true);
    }, function () { ui.launcherText.textContent = 'Wegwijs'; });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
