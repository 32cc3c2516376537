/** A loopback HTTP server for download tests: serves files, honours Range, and can drop connections mid-body. */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FileServer {
  baseUrl: string;
  /** Every request: its path and its Range header, if any. */
  requests: { path: string; range: string | undefined }[];
  /** The next `count` responses send `bytes` bytes of the body (of a larger Content-Length), then cut the connection. */
  cutNext(count: number, bytes: number): void;
  close(): Promise<void>;
}

export async function serveFiles(files: Record<string, Uint8Array>): Promise<FileServer> {
  const requests: FileServer['requests'] = [];
  let cuts = { count: 0, bytes: 0 };
  const server = http.createServer((request, response) => {
    const file = (request.url ?? '').slice(1);
    const range = request.headers.range;
    requests.push({ path: file, range });
    const body = files[file];
    if (body === undefined) {
      response.writeHead(404, 'Not Found').end();
      return;
    }
    const start = Number(/^bytes=(\d+)-$/.exec(range ?? '')?.[1] ?? 0);
    const part = body.subarray(start);
    const headers = { 'content-type': 'application/octet-stream', 'content-length': part.length, 'accept-ranges': 'bytes' };
    response.writeHead(
      start > 0 ? 206 : 200,
      start > 0 ? { ...headers, 'content-range': `bytes ${start}-${body.length - 1}/${body.length}` } : headers,
    );
    if (cuts.count > 0) {
      cuts = { ...cuts, count: cuts.count - 1 };
      response.write(part.subarray(0, cuts.bytes), () => response.socket?.destroy());
      return;
    }
    // Two chunks, so progress is reported more than once.
    response.write(part.subarray(0, part.length >> 1));
    response.end(part.subarray(part.length >> 1));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    cutNext: (count, bytes) => (cuts = { count, bytes }),
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
