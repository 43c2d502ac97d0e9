// The resident's side: pictograms, keyboard, axe, small screens, reload.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { launch, residentPage, openWidget, axe, shot, logTexts } = require('./lib');

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

test('(a) a resident finds a service by pictogram taps only', async () => {
  const { ctx, page } = await residentPage(browser);
  await openWidget(page);
  await shot(page, 'widget-pictograms');
  // Home screen: life areas as numbered tiles with a word.
  const first = page.locator('.ww-tile').first();
  assert.match(await first.textContent(), /^1\s*\S/);
  await page.locator('.ww-tile', { hasText: 'Geld' }).click();
  await page.locator('.ww-prompt', { hasText: 'Geld' }).waitFor();
  await page.locator('.ww-tile').first().click();
  const card = page.locator('.ww-card').last();
  await card.waitFor();
  assert.ok(await card.locator('a[href^="tel:"]').count() >= 1, 'a tel: link on the card');
  assert.match(await card.textContent(), /Nu open|Nu dicht/);
  await shot(page, 'widget-card');
  // Feedback by tapping "Ja".
  await page.locator('.ww-actions .ww-btn', { hasText: 'Ja' }).click();
  await page.locator('.ww-tile', { hasText: 'Geld' }).waitFor();
  // Every bot message can be read aloud, in Dutch.
  const speakers = await page.locator('.ww-bot .ww-speak').count();
  assert.equal(speakers, await page.locator('.ww-bot').count());
  await page.locator('.ww-bot .ww-speak').first().click();
  const spoken = await page.evaluate(() => window.__spoken);
  assert.equal(spoken.length, 1);
  assert.equal(spoken[0].lang, 'nl-NL');
  assert.ok(spoken[0].text.length > 10);
  await ctx.close();
});

test('(b) the same by keyboard only, with visible focus', async () => {
  const { ctx, page } = await residentPage(browser);
  const focused = () => page.evaluate(() => {
    const e = document.activeElement;
    const s = getComputedStyle(e);
    return { cls: e.className, text: e.textContent.trim(), outline: s.outlineStyle, shadow: s.boxShadow };
  });
  let f;
  for (let i = 0; i < 10; i++) {
    await page.keyboard.press('Tab');
    f = await focused();
    if (f.cls.includes('ww-launcher')) break;
  }
  assert.ok(f.cls.includes('ww-launcher'), 'the launcher is reachable by Tab');
  assert.notEqual(f.outline, 'none', 'focus is visible');
  await page.keyboard.press('Enter');
  await page.locator('.ww-tile').first().waitFor();
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab');
    f = await focused();
    if (f.cls.includes('ww-tile')) break;
  }
  assert.ok(f.cls.includes('ww-tile'), 'tiles are reachable by Tab');
  assert.notEqual(f.outline, 'none');
  // Move to "Geld" with Tab, activate with Enter.
  for (let i = 0; i < 10 && !f.text.includes('Geld'); i++) {
    await page.keyboard.press('Tab');
    f = await focused();
  }
  assert.match(f.text, /Geld/);
  await page.keyboard.press('Enter');
  await page.locator('.ww-prompt', { hasText: 'Geld' }).waitFor();
  f = await focused();
  assert.ok(f.cls.includes('ww-tile'), 'focus moves to the new tiles, not lost');
  await page.keyboard.press('Space');
  await page.locator('.ww-card').waitFor();
  f = await focused();
  assert.match(f.text, /Ja/, 'focus lands on the feedback question');
  await page.keyboard.press('Enter');
  await page.locator('.ww-tile', { hasText: 'Geld' }).waitFor();
  // Number keys pick a tile too.
  await page.keyboard.press('2');
  await page.locator('.ww-prompt', { hasText: 'Wonen' }).waitFor();
  // Typing works from the keyboard, and markup stays text.
  await page.locator('#ww-input').focus();
  await page.keyboard.type('<b>vet</b><img src=x onerror=window.__xss=1>');
  await page.keyboard.press('Enter');
  await page.locator('.ww-me', { hasText: '<b>vet</b>' }).waitFor();
  assert.equal(await page.locator('.ww-log b, .ww-log img[src="x"]').count(), 0, 'no markup from the resident');
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  // Escape closes the panel and focus returns to the launcher.
  await page.locator('.ww-tile').first().focus();
  await page.keyboard.press('Escape');
  f = await focused();
  assert.ok(f.cls.includes('ww-launcher'));
  await ctx.close();
});

test('(c) axe finds no WCAG 2.2 AA violations on the demo page with the widget open', async () => {
  const { ctx, page } = await residentPage(browser);
  assert.deepEqual(await axe(page), [], 'demo page, widget closed');
  await openWidget(page);
  await page.locator('.ww-tile', { hasText: 'Geld' }).click();
  await page.locator('.ww-prompt', { hasText: 'Geld' }).waitFor();
  await page.locator('.ww-tile').first().click();
  await page.locator('.ww-card').waitFor();
  assert.deepEqual(await axe(page), [], 'pictogram mode with a service card');
  await page.getByRole('button', { name: 'Tekst' }).click();
  assert.equal(await page.getByRole('button', { name: 'Tekst' }).getAttribute('aria-pressed'), 'true');
  assert.deepEqual(await axe(page), [], 'text mode');
  await shot(page, 'widget-text-mode');
  await page.getByRole('button', { name: 'Grotere letters' }).click();
  assert.deepEqual(await axe(page), [], 'larger text');
  // Arabic: right to left.
  await page.getByLabel('Taal').selectOption('ar');
  await page.locator('#ww-panel[dir="rtl"][lang="ar"]').waitFor();
  await page.locator('.ww-me').last().waitFor();
  assert.deepEqual(await axe(page), [], 'Arabic');
  await shot(page, 'widget-arabic');
  await ctx.close();
});

test('the widget works at 320 px and at 400% zoom without sideways scrolling', async () => {
  for (const [name, viewport] of [['320px', { width: 320, height: 640 }], ['zoom400', { width: 320, height: 256 }]]) {
    const { ctx, page } = await residentPage(browser, { viewport });
    await openWidget(page);
    await page.locator('.ww-tile', { hasText: 'Geld' }).click();
    await page.locator('.ww-prompt', { hasText: 'Geld' }).waitFor();
    await page.locator('.ww-tile').first().click();
    await page.locator('.ww-card').waitFor();
    const m = await page.evaluate(() => {
      const p = document.getElementById('ww-panel');
      return { doc: document.documentElement.scrollWidth, win: window.innerWidth, panel: p.scrollWidth, panelClient: p.clientWidth };
    });
    assert.ok(m.panel <= m.panelClient + 1, `${name}: the panel does not scroll sideways (${JSON.stringify(m)})`);
    assert.ok(m.doc <= m.win + 1, `${name}: the page does not scroll sideways (${JSON.stringify(m)})`);
    await shot(page, 'widget-' + name);
    assert.deepEqual(await axe(page), [], name);
    await ctx.close();
  }
});

test('(e) a reload resumes the conversation with nothing lost', async () => {
  const { ctx, page } = await residentPage(browser);
  await openWidget(page);
  await page.locator('.ww-tile', { hasText: 'Wonen' }).click();
  await page.locator('.ww-prompt', { hasText: 'Wonen' }).waitFor();
  await page.locator('#ww-input').fill('Ik heb schulden en kan de huur niet betalen');
  await page.getByRole('button', { name: 'Versturen' }).click();
  await page.locator('.ww-me', { hasText: 'huur' }).waitFor();
  await page.locator('.ww-card, .ww-tile').first().waitFor();
  const before = await logTexts(page);
  const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('wegwijs.conversation')));
  assert.ok(stored.id && stored.token);
  await page.reload();
  await page.locator('.ww-me', { hasText: 'huur' }).waitFor();
  const afterTexts = await logTexts(page);
  assert.deepEqual(afterTexts, before);
  assert.ok(await page.locator('.ww-tile, .ww-actions .ww-btn').count() > 0, 'the last choices are back');
  // Delete my conversation: asks first, then forgets.
  await page.getByRole('button', { name: 'Verwijder mijn gesprek' }).click();
  await page.locator('.ww-actions .ww-btn[data-id="delete-confirm"]').click();
  await page.getByRole('button', { name: 'Nieuw gesprek' }).waitFor();
  assert.equal(await page.evaluate(() => localStorage.getItem('wegwijs.conversation')), null);
  await ctx.close();
});
