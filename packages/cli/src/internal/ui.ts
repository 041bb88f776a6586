import pc from "picocolors";

type Colors = ReturnType<typeof pc.createColors>;

/** Whether a stream gets colors: a TTY, `NO_COLOR` unset or empty, and not a dumb terminal. */
export function colorsFor(stream: NodeJS.WriteStream, env = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  return Boolean(stream.isTTY) && env.TERM !== "dumb";
}

/** Colors for messages on stderr (no-ops when stderr is not a color TTY). */
export const c: Colors = pc.createColors(colorsFor(process.stderr));

/** Colors for data on stdout. */
export const out: Colors = pc.createColors(colorsFor(process.stdout));

/** Writes a human message line to stderr. */
export function say(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** Writes data to stdout. */
export function print(data: string): void {
  process.stdout.write(data.endsWith("\n") ? data : `${data}\n`);
}

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/** A long step: a spinner on a TTY, plain start and end lines otherwise. */
export interface Progress {
  done(message?: string): void;
  fail(message?: string): void;
}

/**
 * Shows progress of a long step on stderr (`done("")` clears the line; `quietWhenPiped` shows
 * nothing when stderr is not a TTY, for steps scripts do not need to hear about).
 *
 * @example
 * import { setTimeout as sleep } from "node:timers/promises";
 * const p = progress("Installing dependencies");
 * await sleep(1000); // the long step
 * p.done();
 */
export function progress(label: string, options: { quietWhenPiped?: boolean } = {}): Progress {
  const tty = Boolean(process.stderr.isTTY) && process.env.TERM !== "dumb";
  if (!tty && options.quietWhenPiped) return { done: () => {}, fail: () => {} };
  if (!tty) {
    say(`${label}…`);
    return {
      done: (m) => say(m ?? `${label}: done`),
      fail: (m) => say(m ?? `${label}: failed`),
    };
  }
  let i = 0;
  const draw = () =>
    process.stderr.write(`\r${c.cyan(FRAMES[i++ % FRAMES.length] ?? "")} ${label}`);
  draw();
  const timer = setInterval(draw, 80);
  const end = (mark: string, m: string) => {
    clearInterval(timer);
    process.stderr.write(m === "" ? "\r\x1b[2K" : `\r\x1b[2K${mark} ${m}\n`);
  };
  return {
    done: (m) => end(c.green("✔"), m ?? label),
    fail: (m) => end(c.red("✖"), m ?? label),
  };
}
