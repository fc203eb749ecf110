// The mass-mobilisation board registers a "Dân vận khéo" model and takes it through its cycle
// to commendation; the 6-month review of the seed's 2022 programme shows the seed's figures.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { BASE, launch, login, today } from '../lib.js';

let browser;

before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('register a Dân vận khéo model and take it to commendation', async () => {
  mkdirSync('screenshots', { recursive: true });
  const ctx = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  const page = await ctx.newPage();
  await login(page, 'bandanvan');
  await page.goto(`${BASE}/models`);
  const name = `Tổ tự quản đường hoa thử nghiệm ${Date.now()}`;
  await page.fill('#new-model input[name=name]', name);
  await page.selectOption('#new-model select[name=unit]', 'LD-PHUQUY');
  await page.selectOption('#new-model select[name=field]', 'vhxh');
  await page.selectOption('#new-model select[name=kind]', 'collective');
  await page.fill('#new-model input[name=registered_on]', today());
  await page.fill('#new-model textarea[name=results]', '2 km đường hoa do nhân dân tự làm');
  await page.click('#new-model button[type=submit]');
  await page.waitForURL(/\/models\/\d+$/);
  assert.equal((await page.textContent('h1')).trim(), name);
  assert.match(await page.textContent('#model-stage'), /Đăng ký/);

  const step = async (stage, fields = {}) => {
    await page.selectOption('#step select[name=stage]', stage);
    await page.fill('#step input[name=on]', today());
    for (const [k, v] of Object.entries(fields)) await page.fill(`#step input[name=${k}]`, v);
    await page.click('#step button[type=submit]');
  };
  await step('in_progress');
  await page.waitForSelector('#model-stage:has-text("Đang thực hiện")');
  await step('checked');
  await page.waitForSelector('#model-stage:has-text("Đã kiểm tra")');
  // Recognition without its decision is refused, next to the field.
  await step('recognised');
  assert.match(await page.textContent('.field-error'), /Chưa nhập số quyết định/);
  await step('recognised', { decision: '12-QĐ/BTGDVTU' });
  await page.waitForSelector('#model-stage:has-text("Được công nhận")');
  await step('commended', { decision: '2150/QĐ-UBND', form: 'Bằng khen', issuer: 'Chủ tịch UBND tỉnh' });
  await page.waitForSelector('#model-stage:has-text("Được khen thưởng")');
  assert.match(await page.textContent('#model-commendation'), /Bằng khen của Chủ tịch UBND tỉnh, Quyết định số 2150\/QĐ-UBND/);
  assert.equal(await page.locator('#events tbody tr').count(), 5, 'every step is on the record');
  await page.screenshot({ path: 'screenshots/model.png', fullPage: true });

  await page.goto(`${BASE}/models?q=${encodeURIComponent('duong hoa thu nghiem')}`);
  assert.ok((await page.textContent('#models')).includes(name), 'found without diacritics');
  await page.screenshot({ path: 'screenshots/models.png', fullPage: true });
  await ctx.close();
});

test('the 6-month review of the 2022 programme reproduces the seed', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  const page = await ctx.newPage();
  await login(page, 'bandanvan');
  await page.goto(`${BASE}/programmes`);
  await page.click('text=năm 2022');
  await page.click('text=6 tháng đầu năm 2022');
  assert.match(await page.textContent('#review-summary'),
    /Trong 6 tháng đầu năm 2022 các cơ quan, đơn vị đã tiếp 2\.002 lượt\/1\.993 vụ việc, trong đó tiếp đông người là 4 lượt\/72 người; tiếp nhận 2\.384 đơn\./);
  await page.screenshot({ path: 'screenshots/review.png', fullPage: true });
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('text=Tải bản Word')]);
  assert.match(download.suggestedFilename(), /\.docx$/);
  await page.goto(`${BASE}/situation?from=01/01/2022&to=30/06/2022&unit=BT`);
  assert.ok((await page.textContent('#hotspots')).includes('phường Phú Thủy'));
  await page.screenshot({ path: 'screenshots/situation.png', fullPage: true });
  await ctx.close();
});
