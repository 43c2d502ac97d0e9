// Shared helpers: one headless Chromium (Debian's), fresh contexts per test.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');
const { AxeBuilder } = require('@axe-core/playwright');

const BASE = process.env.WEGWIJS_URL || 'http://127.0.0.1:8080';
const SUPPORTER = process.env.WEGWIJS_SUPPORTER || 'tester';
const PASSWORD = process.env.WEGWIJS_PASSWORD || 'password123456';
const SHOTS = process.env.WEGWIJS_SCREENSHOTS || path.join(__dirname, 'screenshots');

async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/* A new resident: own context (own localStorage), speech synthesis recorded. */
async function residentPage(browser, opts = {}) {
  const ctx = await browser.newContext({ viewport: opts.viewport || { width: 1280, height: 900 }, locale: 'nl-NL', ...opts.context });
  await ctx.addInitScript(() => {
    window.__spoken = [];
    if (window.speechSynthesis) {
      window.speechSynthesis.speak = (u) => window.__spoken.push({ text: u.text, lang: u.lang });
    }
  });
  const page = await ctx.newPage();
  page.on('pageerror', (e) => { throw e; });
  await page.goto(BASE + '/');
  return { ctx, page };
}

async function openWidget(page) {
  await page.getByRole('button', { name: 'Hulp zoeken' }).click();
  await page.locator('.ww-tile').first().waitFor();
}

async function axe(page, include) {
  let b = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']);
  if (include) b = b.include(include);
  const r = await b.analyze();
  return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
}

async function shot(page, name) {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, name + '.png'), fullPage: false });
}

/* A Dutch supporter: the console follows the browser's language (nl or en). */
async function login(browser) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'nl-NL' });
  const page = await ctx.newPage();
  await page.goto(BASE + '/console');
  await page.getByLabel('Naam').fill(SUPPORTER);
  await page.getByLabel('Wachtwoord').fill(PASSWORD);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.getByRole('heading', { name: 'Wachtrij' }).waitFor();
  return { ctx, page };
}

/* The texts in the widget's log, in order. */
async function logTexts(page) {
  return page.locator('.ww-log .ww-text').allTextContents();
}

module.exports = { BASE, launch, residentPage, openWidget, axe, shot, login, logTexts };
