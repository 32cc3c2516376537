/**
 * A redis-server of this machine's own, on a free loopback port with a scratch folder and nothing saved: what the queue
 * benchmark and tests grade against. (A course's real Redis is the operator's: see README, "Grading on many machines".)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REDIS_SERVER = '/usr/bin/redis-server';

const READY_LINE = 'Ready to accept connections';
const START_TIMEOUT_MS = 10_000;

/** A loopback port nobody listens on right now (for the local Redis here, and the tests' Jupyter servers). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export class LocalRedis {
  private child?: ChildProcess;
  private constructor(readonly port: number, private readonly password: string | null) {}

  /**
   * Starts redis-server with `--requirepass` (a random password unless one is given; null: none, as a careless setup
   * has) and resolves once it accepts connections.
   */
  static async start(password: string | null = randomBytes(16).toString('hex')): Promise<LocalRedis> {
    const server = new LocalRedis(await freePort(), password);
    await server.launch();
    return server;
  }

  url(db = 0): string {
    return `redis://${this.password !== null ? `:${encodeURIComponent(this.password)}@` : ''}127.0.0.1:${this.port}/${db}`;
  }

  /** Starts it (again, after `kill`: empty, as a Redis without persistence comes back). */
  launch(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
      '--dir', mkdtempSync(join(tmpdir(), 'convlab-redis-')), ...(this.password !== null ? ['--requirepass', this.password] : [])];
    const child = spawn(REDIS_SERVER, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    return new Promise((resolve, reject) => {
      let seen = '';
      const timer = setTimeout(() => reject(new Error(`redis-server did not start in ${START_TIMEOUT_MS} ms: ${seen}`)), START_TIMEOUT_MS);
      child.on('error', reject);
      child.on('exit', (code) => reject(new Error(`redis-server exited (${code}): ${seen}`)));
      child.stdout!.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        if (seen.includes(READY_LINE)) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  }

  /** SIGKILL: no goodbye to clients, nothing saved. */
  kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      child.on('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }
}
