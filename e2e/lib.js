// What every browser test needs: the server's address, the demo password, Debian's chromium,
// a login, and today's date as the forms take it (Vietnam time).
import { chromium } from 'playwright-core';

export const BASE = process.env.DANVAN_URL ?? 'http://127.0.0.1:18080';
export const PASSWORD = 'danvan-demo-2026';

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export async function login(page, username) {
  await page.goto(`${BASE}/login`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForURL(`${BASE}/`);
}

export function today() {
  const d = new Date(Date.now() + 7 * 3600 * 1000);
  return `${String(d.getUTCDate()).padStart(2, '0')}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${d.getUTCFullYear()}`;
}
