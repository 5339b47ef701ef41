import { createReadStream, existsSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDemo } from '../src/registry.js';
import { runDemo } from '../src/run.js';

/** Debian's chromium, which .ci/run installs when it is missing. */
const chromiumPath = '/usr/bin/chromium';
const types: Record<string, string> = { '.html': 'text/html', '.svg': 'image/svg+xml' };

describe('a demo page in headless Chromium', () => {
  const out = mkdtempSync(join(tmpdir(), 'demo-page-'));
  const server = createServer((req, res) => {
    const file = join(out, normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)));
    if (!file.startsWith(out) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });

  beforeAll(async () => {
    await runDemo(findDemo('gradient-descent')!, {
      seed: 1,
      epochs: undefined,
      quick: true,
      dataPath: undefined,
      out,
      print: () => {},
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  });
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  it('loads index.html with every image and no console errors', async () => {
    expect(existsSync(chromiumPath), `${chromiumPath} is missing: apt-get install chromium`).toBe(true);
    const browser = await chromium.launch({
      executablePath: chromiumPath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      const { port } = server.address() as AddressInfo;
      await page.goto(`http://127.0.0.1:${port}/index.html`, { waitUntil: 'load' });
      const images = await page.$$eval('img', (imgs) =>
        imgs.map((i) => ({ src: i.getAttribute('src'), ok: i.complete && i.naturalWidth > 0 })),
      );
      expect(images.length).toBeGreaterThan(0);
      expect(images.filter((i) => !i.ok)).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
