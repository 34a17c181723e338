import { startCodeServer, openWorkbench } from './index';
(async () => {
const s = await startCodeServer({ workspace: '/tmp/exp/ws2' });
try {
  const wb = await openWorkbench(s);
  for (let i = 0; i < 12; i++) {
    const info = await wb.page.evaluate(() => {
      const sb = document.querySelector('.part.statusbar')!; const wbc = document.querySelector('.monaco-workbench')!.className;
      return { wbc, bg: getComputedStyle(sb).backgroundColor, items: [...sb.querySelectorAll('.statusbar-item')].map(e => e.id + '=' + (e as HTMLElement).innerText.trim()).filter(x=>!x.endsWith('=')) };
    });
    console.log(i * 500, JSON.stringify(info));
    await wb.page.waitForTimeout(500);
  }
  await wb.close();
} finally { await s.stop(); }
})();
