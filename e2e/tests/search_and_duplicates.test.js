// A petition handler types a petition that the demo already holds, re-sent with a new greeting
// and date line: before saving, the form suggests the earlier one and says why; the handler
// marks it a duplicate and saves. Then the search box finds the demo's strings however typed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { BASE, launch, login, today } from '../lib.js';

let browser;

before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a re-sent petition is suggested as a duplicate before saving', async () => {
  mkdirSync('screenshots', { recursive: true });
  const ctx = await browser.newContext({ viewport: { width: 1360, height: 1000 } });
  const page = await ctx.newPage();
  await login(page, 'xulydon');
  await page.goto(`${BASE}/petitions/new`);
  await page.fill('input[name=received_date]', today());
  await page.selectOption('select[name=source]', 'post');
  await page.fill('input[name="sender.full_name"]', 'Nguyễn Văn A');
  await page.selectOption('select[name=petition_type]', 'KNPA');
  await page.selectOption('select[name=field_code]', 'DD-TC');
  // The demo's petition of Nguyễn Văn A, sent again with a greeting and a date line.
  await page.fill('textarea[name=summary]', `Kính gửi UBND tỉnh, ngày ${today()}. Đề nghị hòa giải tranh chấp ranh giới đất đai với hộ liền kề tại đặc khu Phú Quý`);
  await page.waitForSelector('#related .related li', { timeout: 5000 });
  const hint = await page.textContent('#related');
  assert.match(hint, /Nội dung giống \d+%/);
  const earlier = (await page.textContent('#related .related li a')).trim();
  assert.match(earlier, /^DON-\d{4}-\d{6}$/);
  await page.screenshot({ path: 'screenshots/duplicate_suggested.png', fullPage: true });
  await page.check(`#related input[value="duplicate:${earlier}"]`);
  await page.click('#petition-form button[type=submit]');
  await page.waitForURL(/\/petitions\/DON-\d{4}-\d{6}\?created=1/);
  const body = await page.textContent('main');
  assert.ok(body.includes(`Đơn trùng với ${earlier}`), 'filed as a duplicate of the earlier one');
  assert.ok(body.includes('Đơn trùng: lưu đơn'), 'the answer is kept on the petition');
  await ctx.close();
});

test('the search box finds the demo however it is typed', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  const page = await ctx.newPage();
  await login(page, 'chutich');
  for (const [typed, shown] of [['dat dai', 'đất đai'], ['hoà giải', 'hòa giải'], ['Phu Qui', 'Phú Quý']]) {
    await page.fill('.quick-search input[name=q]', typed);
    await page.press('.quick-search input[name=q]', 'Enter');
    await page.waitForURL(/\/search\?q=/);
    const marked = await page.$$eval('#hits mark', (ms) => ms.map((m) => m.textContent));
    assert.ok(marked.length > 0, `${typed}: matched words are marked`);
    assert.ok((await page.textContent('#hits')).includes(shown), `${typed} finds ${shown}`);
  }
  await page.screenshot({ path: 'screenshots/search.png', fullPage: true });
  await page.goto(`${BASE}/search?q=Nguyen+Van+A&kind=petition`);
  assert.match(await page.textContent('.found'), /Tìm thấy [1-9]/);
  await ctx.close();
});
