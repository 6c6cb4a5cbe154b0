// Playback state shared by a scene, its timeline and its strip charts: the current step, play,
// pause, step, and speed. One Player drives every viewport of a side-by-side replay.
export class Player {
  step = $state(0);
  length = $state(0); // steps in the episode (T): valid steps are 0..T
  playing = $state(false);
  /** Playback rate in environment steps per second. */
  rate = $state(10);
  private handle = 0;
  private last = 0;
  private carry = 0;

  load(length: number): void {
    this.pause();
    this.length = length;
    this.step = 0;
  }

  seek(k: number): void {
    this.step = Math.max(0, Math.min(this.length, Math.round(k)));
  }

  stepBy(n: number): void {
    this.pause();
    this.seek(this.step + n);
  }

  play(): void {
    if (this.playing || this.length === 0) return;
    if (this.step >= this.length) this.step = 0;
    this.playing = true;
    this.last = performance.now();
    this.carry = 0;
    const tick = (now: number): void => {
      if (!this.playing) return;
      this.carry += ((now - this.last) / 1000) * this.rate;
      this.last = now;
      const whole = Math.floor(this.carry);
      if (whole > 0) {
        this.carry -= whole;
        this.seek(this.step + whole);
      }
      if (this.step >= this.length) {
        this.playing = false;
        return;
      }
      this.handle = requestAnimationFrame(tick);
    };
    this.handle = requestAnimationFrame(tick);
  }

  pause(): void {
    this.playing = false;
    cancelAnimationFrame(this.handle);
  }

  toggle(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  dispose(): void {
    this.pause();
  }
}
