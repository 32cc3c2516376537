import { expect } from 'chai';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { downloadFile } from '../../src/core/download';

const BODY = Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 251));

/** A server whose handler the test chooses; it records each request's Range header. */
async function serverWith(handler: (request: http.IncomingMessage, response: http.ServerResponse, index: number) => void) {
  const ranges: (string | undefined)[] = [];
  const server = http.createServer((request, response) => {
    ranges.push(request.headers.range);
    handler(request, response, ranges.length - 1);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/file.bin`;
  const close = () => {
    server.closeAllConnections();
    server.close();
  };
  return { url, ranges, close };
}

describe('downloadFile', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convlab-download-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('drops a connection that stalls, and says so once every try is spent, keeping the part for later', async () => {
    const { url, ranges, close } = await serverWith((_request, response) => {
      response.writeHead(200, { 'content-length': BODY.length });
      response.write(BODY.subarray(0, 1000)); // …and nothing more.
    });
    try {
      const target = path.join(dir, 'file.bin');
      // 1.5 s: long enough for a busy test machine to connect, so only the stall trips the timer.
      const error = await downloadFile(url, target, { attempts: 2, idleTimeoutMs: 1500, retryDelayMs: 10 }).then(
        () => undefined,
        (thrown: Error) => thrown,
      );
      expect(error?.message).to.equal(
        `Download of ${url} failed after 2 tries: no data for 1.5 s. The part already downloaded is kept: run npm run data again to resume.`,
      );
      expect(ranges).to.deep.equal([undefined, 'bytes=1000-']);
      expect(fs.existsSync(target)).to.equal(false);
      expect(fs.statSync(`${target}.partial`).size).to.equal(1000);
    } finally {
      close();
    }
  });

  it('starts over cleanly when the server ignores Range and sends the whole file again', async () => {
    const { url, ranges, close } = await serverWith((_request, response, index) => {
      response.writeHead(200, { 'content-length': BODY.length });
      if (index === 0) response.write(BODY.subarray(0, 1200), () => response.socket?.destroy());
      else response.end(BODY);
    });
    try {
      const target = path.join(dir, 'file.bin');
      await downloadFile(url, target, { retryDelayMs: 10 });
      expect(ranges).to.deep.equal([undefined, 'bytes=1200-']);
      expect(fs.readFileSync(target).equals(BODY)).to.equal(true);
      expect(fs.readdirSync(dir)).to.deep.equal(['file.bin']);
    } finally {
      close();
    }
  });
});
