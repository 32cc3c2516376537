/** A timeout that can be paused; time spent paused does not count. */
export class PausableTimer {
  private timer?: NodeJS.Timeout;
  private startedAt = 0;

  constructor(private readonly onExpire: () => void, private leftMs: number) {
    this.resume();
  }

  pause(): void {
    if (this.timer === undefined) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.leftMs -= Date.now() - this.startedAt;
  }

  resume(): void {
    if (this.timer !== undefined || this.leftMs === Infinity) return;
    this.startedAt = Date.now();
    this.timer = setTimeout(this.onExpire, Math.max(0, this.leftMs));
  }

  clear(): void {
    this.pause();
    this.leftMs = Infinity;
  }
}
