// The supporter's side: claim and reply live; axe on the console.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { BASE, launch, residentPage, openWidget, axe, shot, login } = require('./lib');

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

test('(c) axe finds no violations on the console login page', async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(BASE + '/console');
  assert.deepEqual(await axe(page), []);
  await ctx.close();
});

test('(d) a supporter claims and replies; the resident sees it without reloading', async () => {
  const resident = await residentPage(browser);
  const r = resident.page;
  await openWidget(r);
  // Something the bot does not understand ends up for review on the stats page.
  await r.locator('#ww-input').fill('xyzzy plugh qwfp');
  await r.getByRole('button', { name: 'Versturen' }).click();
  await r.locator('.ww-me', { hasText: 'xyzzy' }).waitFor();
  // A crisis goes to the queue at any hour (a plain request waits for office hours).
  await r.locator('#ww-input').fill('Ik wil niet meer leven');
  await r.getByRole('button', { name: 'Versturen' }).click();
  await r.locator('.ww-crisis').waitFor();
  await r.locator('.ww-tel').first().waitFor();

  const supporter = await login(browser);
  const s = supporter.page;
  const row = s.locator('#queue-rows tr.crisis').first();
  await row.waitFor();
  assert.match(await row.textContent(), /CRISIS/);
  assert.match(await s.locator('#crisis-alert').textContent(), /crisis/);
  await shot(s, 'console-queue');
  assert.deepEqual(await axe(s), [], 'console queue');

  await row.getByRole('button', { name: 'Oppakken' }).click();
  await s.getByLabel(/Jouw bericht/).waitFor();
  await r.locator('.ww-banner', { hasText: 'tester' }).waitFor();

  await s.getByLabel(/Jouw bericht/).fill('Hoi, ik ben er. Ben je nu veilig?');
  await r.locator('.ww-status', { hasText: 'typen' }).waitFor();
  await s.getByRole('button', { name: 'Versturen' }).click();
  await r.locator('.ww-sup', { hasText: 'Ben je nu veilig?' }).waitFor();
  assert.equal(await r.locator('.ww-sup .ww-speak').count(), 1, 'the supporter message can be read aloud');

  // The resident answers; the supporter sees it live.
  await r.locator('#ww-input').fill('Ja, ik ben thuis. <script>x</script>');
  await r.getByRole('button', { name: 'Versturen' }).click();
  await s.locator('#log .from-resident', { hasText: 'Ja, ik ben thuis. <script>x</script>' }).waitFor();
  await shot(s, 'console-conversation');
  await shot(r, 'widget-with-supporter');
  assert.deepEqual(await axe(s), [], 'console conversation');

  // A canned reply goes out in the resident's language.
  await s.getByRole('button', { name: 'Even kijken' }).click();
  await r.locator('.ww-sup', { hasText: 'Ik kijk even voor je' }).waitFor();

  // Hand back to the bot: the resident gets the menu again.
  // The console reloads the conversation page after the hand back: wait for that
  // load, or the next navigation would race it.
  await Promise.all([
    s.waitForEvent('load'),
    s.getByRole('button', { name: 'Terug naar de bot' }).click(),
  ]);
  await r.locator('.ww-tile').first().waitFor();
  assert.equal(await r.locator('.ww-banner').isHidden(), true);

  // Figures for supporters with the stats role.
  await s.goto(BASE + '/console/stats');
  await s.getByRole('heading', { name: 'Cijfers' }).waitFor();
  await s.locator('textarea', { hasText: 'xyzzy' }).waitFor();
  assert.deepEqual(await axe(s), [], 'stats page');
  await shot(s, 'console-stats');

  // The language switch: English on every page after one click, until switched back.
  await s.getByRole('link', { name: 'English' }).click();
  await s.getByRole('heading', { name: 'Figures' }).waitFor();
  assert.equal(await s.locator('html').getAttribute('lang'), 'en');
  assert.deepEqual(await axe(s), [], 'stats page in English');
  await s.getByRole('link', { name: 'Queue' }).click();
  await s.getByRole('heading', { name: 'Queue' }).waitFor();
  await s.getByRole('link', { name: 'Nederlands' }).click();
  await s.getByRole('heading', { name: 'Wachtrij' }).waitFor();
  await resident.ctx.close();
  await supporter.ctx.close();
});
