/**
 * Findings 6: submission code must not reach the network. A cell tries a TCP, an HTTP and a UDP listener this test
 * starts on the grading host's loopback (where a Redis or a database without a password would sit); each attempt that
 * works makes `double` correct, so a reached listener shows in the score as well as in the listener's count.
 */
import { expect } from 'chai';
import { createSocket, type Socket } from 'node:dgram';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { join } from 'node:path';
import type { Cell, Notebook } from '../../../grader/notebook/types';
import { PROJECT_ROOT } from '../../../grader/paths';
import { COURSE, runProgram, tempDir, TINY, tinySolution, withSource, writeFile, type CliResult } from '../../support/helpers';
import { LocalRedis } from '../../../grader/queue/local-redis';
import { ConvlabProcess, queueEnv, requireRedis } from '../../support/queue-processes';
import { HONEST_WRONG_SCORE, type ResultJson } from '../../support/security-folder';

interface Listeners {
  readonly ports: { tcp: number; http: number; udp: number };
  /** connections (TCP), requests (HTTP) and datagrams (UDP) seen */
  readonly seen: { tcp: number; http: number; udp: number };
  close(): Promise<void>;
}

async function startListeners(): Promise<Listeners> {
  const seen = { tcp: 0, http: 0, udp: 0 };
  const tcp: TcpServer = createTcpServer((socket) => { seen.tcp += 1; socket.end('+PONG\r\n'); });
  const http: HttpServer = createHttpServer((_, response) => { seen.http += 1; response.end('{}'); });
  const udp: Socket = createSocket('udp4');
  udp.on('message', () => { seen.udp += 1; });
  await Promise.all([
    new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve)),
    new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve)),
    new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve)),
  ]);
  const port = (server: { address(): AddressInfo | string | null }): number => (server.address() as AddressInfo).port;
  return {
    ports: { tcp: port(tcp), http: port(http), udp: udp.address().port },
    seen,
    close: async () => {
      http.closeAllConnections();
      await Promise.all([new Promise((resolve) => tcp.close(resolve)), new Promise((resolve) => http.close(resolve)), new Promise<void>((resolve) => udp.close(resolve))]);
    },
  };
}

/** A cell that tries all three listeners, each attempt bounded; `reached` counts those that answered or accepted. */
function reachOut(ports: Listeners['ports']): string {
  return `const net = require('net');
const http = require('http');
const dgram = require('dgram');
const attempt = (start: (done: (ok: boolean) => void) => void): Promise<boolean> => new Promise((resolve) => {
  const timer = setTimeout(() => resolve(false), 5000);
  try { start((ok) => { clearTimeout(timer); resolve(ok); }); } catch { clearTimeout(timer); resolve(false); }
});
const outcomes = [
  await attempt((done) => net.connect(${ports.tcp}, '127.0.0.1').on('data', () => done(true)).on('error', () => done(false))),
  await attempt((done) => http.get('http://127.0.0.1:${ports.http}/', (response: any) => { response.resume(); done(true); }).on('error', () => done(false))),
  await attempt((done) => { const socket = dgram.createSocket('udp4'); socket.send('PING', ${ports.udp}, '127.0.0.1', (error: unknown) => { socket.close(); done(!error); }); }),
];
const reached = outcomes.filter(Boolean).length;
console.log('reached', reached, outcomes);`;
}

const networkNotebook = (ports: Listeners['ports']): Notebook => {
  const wrong = withSource(tinySolution(), 'double', 'function double(n: number): number {\n  return reached > 0 ? 2 * n : n + 2;\n}');
  const cell: Cell = { id: 'reach-out', cell_type: 'code', metadata: {}, source: reachOut(ports), outputs: [], execution_count: null };
  const at = wrong.cells.findIndex((candidate) => candidate.metadata.nbgrader?.grade_id === 'double');
  return { ...wrong, cells: [...wrong.cells.slice(0, at), cell, ...wrong.cells.slice(at)] };
};

/** `convlab grade` of one notebook, text or --json, with extra environment. */
function grade(dir: string, json: boolean, env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return runProgram(process.execPath, [
    join(PROJECT_ROOT, 'dist', 'grader', 'cli.js'), 'grade', join(dir, 'submissions'), '--assignment', TINY, '--root', COURSE,
    '--db', join(dir, 'gradebook.sqlite'), '--force', ...(json ? ['--json'] : []),
  ], { env });
}

describe('network isolation (finding 6): submission code reaches no listener on the grading host', function () {
  this.timeout(300_000);
  let listeners: Listeners;
  let dir: string;

  before(async () => {
    listeners = await startListeners();
    dir = tempDir('convlab-network-');
    writeFile(join(dir, 'submissions', `reach-out_${TINY}.ipynb`), networkNotebook(listeners.ports));
  });
  after(() => listeners.close());
  beforeEach(() => { Object.assign(listeners.seen, { tcp: 0, http: 0, udp: 0 }); });

  it('a cell\'s TCP, HTTP and UDP attempts on 127.0.0.1 all fail: the listeners see nothing and the score stays honest', async () => {
    const run = await grade(dir, true);
    expect(run.exitCode, run.stderr).to.equal(0);
    const result = (JSON.parse(run.stdout) as { results: ResultJson[]; network?: unknown }).results[0]!;
    expect(listeners.seen).to.deep.equal({ tcp: 0, http: 0, udp: 0 });
    expect([result.status, result.score]).to.deep.equal(['graded', HONEST_WRONG_SCORE]);
    expect(JSON.parse(run.stdout)).to.not.have.property('network');
  });

  it('where no network namespace can be made, grading goes on and the run says "network not isolated" once', async () => {
    // CONVLAB_UNSHARE names the unshare program; a missing one makes the probe fail as a container forbidding namespaces would.
    const env = { CONVLAB_UNSHARE: join(dir, 'no-such-unshare') };
    const text = await grade(dir, false, env);
    expect(text.exitCode, text.stderr).to.equal(0);
    expect(text.stdout.match(/network not isolated/g), text.stdout).to.have.length(1);
    const json = await grade(dir, true, env);
    const document = JSON.parse(json.stdout) as { results: ResultJson[]; network?: { isolated: boolean; reason: string } };
    expect(document.network?.isolated).to.equal(false);
    expect(document.network?.reason).to.match(/no-such-unshare/);
    // The attack itself works without the namespace: what the first test sees refused is a real attempt.
    expect(listeners.seen.tcp).to.be.greaterThan(0);
    expect(document.results[0]!.score).to.equal(5);
  });

  it('a queue worker where no network namespace can be made says "network not isolated" when it starts', async function () {
    requireRedis(this);
    const redis = await LocalRedis.start();
    const worker = new ConvlabProcess(['worker', '--root', COURSE, '--jobs', '1'],
      { ...queueEnv(redis.url(0)), CONVLAB_UNSHARE: join(dir, 'no-such-unshare') });
    try {
      await worker.listening();
      expect(worker.output).to.match(/waiting for submissions[^\n]*\nnetwork not isolated: submission code could reach the network \(.*no-such-unshare/);
    } finally {
      await worker.killGroup();
      await redis.kill();
    }
  });
});
