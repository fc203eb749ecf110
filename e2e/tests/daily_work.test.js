// A reception officer logs in, records a visit that opens a new case, a petition handler
// registers a petition for that case, and both show in the registers and the summary.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { BASE, launch, login, today } from '../lib.js';

let browser;

before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('record a visit with a new case, register its petition, see both', async () => {
  mkdirSync('screenshots', { recursive: true });
  const ctx = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  const page = await ctx.newPage();
  await login(page, 'tiepdan');
  const before = await page.textContent('#summary-text');
  await page.screenshot({ path: 'screenshots/dashboard.png', fullPage: true });

  await page.goto(`${BASE}/visits/new`);
  // A wrong ID number is explained next to the field and nothing is saved.
  await page.fill('#person0', 'Phạm Văn Kiểm Thử');
  await page.fill('input[name="people[0].id_number"]', '12345');
  await page.fill('textarea[name=content]', 'Tranh chấp lối đi chung với hộ liền kề, thử nghiệm trình duyệt');
  await page.selectOption('select[name=petition_type]', 'KN');
  await page.selectOption('select[name=field_code]', 'DD-TC');
  await page.selectOption('select[name=handling]', 'accept');
  await page.click('#visit-form button[type=submit]');
  assert.match(await page.textContent('.field-error'), /12 chữ số/);
  await page.fill('input[name="people[0].id_number"]', '068085001234');
  await page.screenshot({ path: 'screenshots/visit_form.png', fullPage: true });
  await page.click('#visit-form button[type=submit]');
  await page.waitForURL(/\/visits\/TCD-\d{4}-\d{6}\?created=1/);
  const visitCode = page.url().match(/TCD-\d{4}-\d{6}/)[0];
  const caseCode = (await page.textContent('a[href^="/cases/VV-"]')).trim();
  assert.match(caseCode, /^VV-\d{4}-\d{6}$/);

  await page.goto(`${BASE}/visits?q=loi+di+chung`);
  assert.ok((await page.textContent('#visits')).includes(visitCode), 'the visit is in the register, found without diacritics');
  await page.screenshot({ path: 'screenshots/visits.png', fullPage: true });
  await ctx.close();

  // The petition handler registers the petition handed in at that visit.
  const ctx2 = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  const p2 = await ctx2.newPage();
  await login(p2, 'xulydon');
  await p2.goto(`${BASE}/petitions/new?visit=${visitCode}&case=${caseCode}`);
  await p2.selectOption('select[name=unit_code]', 'LD-UBND');
  await p2.selectOption('select[name=source]', 'reception');
  await p2.fill('#sender-name', 'Phạm Văn Kiểm Thử');
  await p2.selectOption('select[name=petition_type]', 'KN');
  await p2.selectOption('select[name=field_code]', 'DD-TC');
  await p2.fill('textarea[name=summary]', 'Đơn khiếu nại về lối đi chung, thử nghiệm trình duyệt');
  await p2.fill('input[name=received_date]', today());
  await p2.click('#petition-form button[type=submit]');
  await p2.waitForURL(/\/petitions\/DON-\d{4}-\d{6}\?created=1/);
  const petitionCode = p2.url().match(/DON-\d{4}-\d{6}/)[0];
  await p2.goto(`${BASE}/petitions?q=loi+di+chung`);
  assert.ok((await p2.textContent('#petitions')).includes(petitionCode));
  await p2.goto(`${BASE}/cases/${caseCode}`);
  const timeline = await p2.textContent('#timeline');
  assert.ok(timeline.includes(visitCode) && timeline.includes(petitionCode), 'both on the case timeline');
  await p2.screenshot({ path: 'screenshots/case.png', fullPage: true });
  await ctx2.close();

  // The summary counted them.
  const ctx3 = await browser.newContext();
  const p3 = await ctx3.newPage();
  await login(p3, 'tiepdan');
  const afterText = await p3.textContent('#summary-text');
  assert.notEqual(afterText, before, 'the dashboard summary changed');
  await ctx3.close();
  const ctx4 = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  const p4 = await ctx4.newPage();
  await login(p4, 'admin');
  await p4.goto(`${BASE}/summary?from=01/01/2022&to=30/06/2022&unit=LD`);
  assert.match(await p4.textContent('#summary-text'), /đã tiếp 2\.002 lượt\/1\.993 vụ việc, trong đó tiếp đông người là 4 lượt\/72 người; tiếp nhận 2\.384 đơn/);
  await p4.screenshot({ path: 'screenshots/summary.png', fullPage: true });
  await ctx4.close();
});

test('a known citizen is recognised by ID number while typing', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  const page = await ctx.newPage();
  await login(page, 'tiepdan');
  await page.goto(`${BASE}/visits/new`);
  // The citizen of the first test: htmx asks /people/lookup as the number is typed.
  await page.fill('input[name="people[0].id_number"]', '068085001234');
  await page.waitForSelector('#known-0 .hint', { timeout: 5000 });
  const hint = await page.textContent('#known-0');
  assert.match(hint, /Công dân đã có trong sổ: Phạm Văn Kiểm Thử/);
  assert.match(hint, /VV-\d{4}-\d{6}/, 'with the case to link to');
  await page.screenshot({ path: 'screenshots/visit_lookup.png', fullPage: true });
  await ctx.close();
});

test('overdue clocks are listed, explained, and move when the petition is accepted', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  const page = await ctx.newPage();
  await login(page, 'xulydon');
  assert.ok(await page.isVisible('text=Thời hạn đã quá'), 'the dashboard counts overdue clocks');
  await page.goto(`${BASE}/deadlines?overdue=1`);
  const rows = await page.locator('table.grid tbody tr').count();
  assert.ok(rows > 0, 'the demo has overdue clocks');
  await page.screenshot({ path: 'screenshots/deadlines.png', fullPage: true });

  // The petition registered in the first test runs its acceptance clock; accept it today.
  await page.goto(`${BASE}/petitions?q=loi+di+chung`);
  await page.click('#petitions a[href^="/petitions/DON-"]');
  const clocks = await page.textContent('#thoi-han');
  assert.match(clocks, /Hạn thụ lý khiếu nại: \d\d\/\d\d\/\d{4} — \d+ ngày làm việc kể từ ngày nhận đơn/);
  await page.selectOption('#thoi-han select[name=kind]', 'accept');
  await page.fill('#thoi-han input[name=on]', today());
  await page.click('#thoi-han form:first-of-type button[type=submit]');
  await page.waitForSelector('text=Hạn giải quyết khiếu nại lần đầu');
  assert.match(await page.textContent('#thoi-han'), /30 ngày kể từ ngày thụ lý/);
  await page.screenshot({ path: 'screenshots/petition_clocks.png', fullPage: true });
  await ctx.close();

  const ctx2 = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  const p2 = await ctx2.newPage();
  await login(p2, 'admin');
  await p2.goto(`${BASE}/calendar?year=2026`);
  assert.match(await p2.textContent('main'), /Tết Bính Ngọ \(mùng 1\)/);
  assert.match(await p2.textContent('main'), /9441\/TB-BNV/);
  await p2.screenshot({ path: 'screenshots/calendar.png', fullPage: true });
  await p2.goto(`${BASE}/admin`);
  await p2.screenshot({ path: 'screenshots/admin.png', fullPage: true });
  await ctx2.close();
});

test('the official form for the first half of 2022 shows the seed figures, with charts', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  const page = await ctx.newPage();
  await login(page, 'chutich');
  await page.goto(`${BASE}/reports?form=01-XLD&preset=2022-H1&unit=LD-UBND`);
  const total = await page.textContent('#report tr.total');
  assert.match(total, /2\.384/, 'petitions received in the half-year');
  assert.ok(await page.locator('.charts svg').count() >= 3, 'charts are drawn');
  await page.screenshot({ path: 'screenshots/report_01xld.png', fullPage: true });
  await ctx.close();
});

test('a training session recorded on the management page is counted in form 06/QLKNTC', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  const page = await ctx.newPage();
  await login(page, 'xulydon');
  const year = today().slice(6);
  const form = `${BASE}/reports?form=06-QLKNTC&preset=${year}&unit=LD-UBND`;
  // Column (6): the participants of the year's sessions, a Vietnamese number ("1.260").
  const participants = async () => {
    await page.goto(form);
    const cell = await page.textContent('#report tr.total td:nth-child(7)');
    return Number(cell.trim().split(/\s/)[0].replaceAll('.', ''));
  };
  const before = await participants();
  await page.goto(`${BASE}/management`);
  await page.selectOption('#new-activity select[name=kind]', 'dissemination');
  await page.fill('#new-activity input[name=activity_date]', today());
  await page.fill('#new-activity input[name=title]', 'Tập huấn Luật Tiếp công dân cho cán bộ xã');
  // An amount of another kind is refused with a message, and the form keeps what was typed.
  await page.fill('#new-activity input[name=units_covered]', '3');
  await page.fill('#new-activity input[name=participants]', '1.500');
  await page.click('#new-activity button[type=submit]');
  assert.match(await page.textContent('#new-activity'), /chỉ nhập cho hoạt động/);
  await page.fill('#new-activity input[name=units_covered]', '');
  await page.click('#new-activity button[type=submit]');
  await page.waitForURL(/\/management\?year=/);
  assert.match(await page.textContent('#activities'), /Tập huấn Luật Tiếp công dân cho cán bộ xã/);
  assert.match(await page.textContent('#activities'), /1\.500 lượt người tham dự/);
  assert.equal(await participants(), before + 1500);
  await page.screenshot({ path: 'screenshots/report_06qlkntc.png', fullPage: true });
  await ctx.close();
});
