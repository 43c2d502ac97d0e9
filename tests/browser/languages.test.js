// Six languages in the widget: a crisis in Turkish, an Arabic card read right
// to left with its numbers left to right, and a language Wegwijs does not know.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { launch, residentPage, openWidget, axe, shot } = require('./lib');

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

const PHONE = { width: 360, height: 740 };

async function ask(page, text) {
  const n = await page.locator('.ww-bot').count();
  await page.locator('#ww-input').fill(text);
  await page.locator('#ww-input').press('Enter');
  await page.waitForFunction((k) => document.querySelectorAll('.ww-bot').length > k, n);
}

/* Is the element inside both the window and the scrolled log? */
async function inView(page, locator) {
  const box = await locator.boundingBox();
  const log = await page.locator('.ww-log').boundingBox();
  const win = page.viewportSize();
  return box !== null && box.y >= Math.max(0, log.y) - 1 && box.y + box.height <= Math.min(win.height, log.y + log.height) + 1;
}

test('a crisis typed in Turkish on a phone shows 112 and 113 at once, in view', async () => {
  const { ctx, page } = await residentPage(browser, { viewport: PHONE });
  await openWidget(page);
  await ask(page, 'artik yasamak istemiyorum, her sey anlamsiz');
  const crisis = page.locator('.ww-crisis').last();
  await crisis.waitFor();
  // The reply is in Turkish: the widget switched with the message.
  await page.locator('#ww-panel[lang="tr"]').waitFor();
  for (const n of ['112', '113']) {
    const link = crisis.locator(`a.ww-tel[href="tel:${n}"]`);
    assert.equal(await link.count(), 1, `tel:${n}`);
    assert.ok(await inView(page, link), `${n} is visible without scrolling`);
  }
  await shot(page, 'widget-crisis-tr-phone');
  assert.deepEqual(await axe(page), [], 'Turkish crisis card');
  await ctx.close();
});

test('an Arabic card reads right to left with 088 555 14 10 left to right and the Dutch name beside it', async () => {
  const { ctx, page } = await residentPage(browser, { viewport: PHONE });
  await openWidget(page);
  await page.getByLabel('Taal').selectOption('ar');
  await page.locator('#ww-panel[dir="rtl"][lang="ar"]').waitFor();
  // Tiles are labelled in Arabic now.
  assert.match(await page.locator('.ww-tile .ww-label').first().textContent(), /[\u0600-\u06FF]/);
  await ask(page, 'عندي ديون كثيرة والمحصل يتصل بي كل يوم');
  const card = page.locator('.ww-card').last();
  await card.waitFor();
  const nl = card.locator('.ww-name-nl');
  assert.equal(await nl.getAttribute('lang'), 'nl');
  assert.match(await nl.textContent(), /schuld/i, 'the Dutch name of the service');
  const order = await card.locator('.ww-call bdi').evaluate((b) => {
    const node = b.firstChild;
    const text = node.textContent;
    const rect = (from, to) => { const r = document.createRange(); r.setStart(node, from); r.setEnd(node, to); return r.getBoundingClientRect(); };
    const last = text.lastIndexOf(' ') + 1;
    return { text, dir: getComputedStyle(b).direction, first: rect(0, 3).left, end: rect(last, text.length).left };
  });
  assert.equal(order.text, '088 555 14 10');
  assert.equal(order.dir, 'ltr');
  assert.ok(order.first < order.end, `"088" is left of "10" on screen: ${JSON.stringify(order)}`);
  await shot(page, 'widget-card-ar-phone');
  assert.deepEqual(await axe(page), [], 'Arabic card');
  await ctx.close();
});

test('a message in a language Wegwijs does not know gets the pictograms and 112 and 113', async () => {
  const { ctx, page } = await residentPage(browser, { viewport: PHONE });
  await openWidget(page);
  await ask(page, 'Waxaan u baahanahay caawimaad degdeg ah');
  const reply = page.locator('.ww-bot').last();
  await page.locator('.ww-tile').first().waitFor();
  const tels = page.locator('.ww-log a.ww-tel');
  assert.ok(await tels.count() >= 2, 'the crisis numbers stay in reach');
  assert.ok(await page.locator('.ww-log a.ww-tel[href="tel:112"]').count() >= 1);
  assert.ok(await page.locator('.ww-log a.ww-tel[href="tel:113"]').count() >= 1);
  assert.ok(await reply.isVisible());
  assert.deepEqual(await axe(page), [], 'not understood, with the safety net');
  await ctx.close();
});
