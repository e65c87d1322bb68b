/** Where progress goes: a terminal gets one line redrawn in place, a CI log gets a timestamped line per change. */
export type ProgressStream = { write(text: string): unknown; isTTY?: boolean; columns?: number };

export type Progress = { update(line: string): void; done(): void };

export function progressReporter(stream: ProgressStream, now: () => Date = () => new Date()): Progress {
  let last = "";
  let drawn = false;
  if (stream.isTTY) {
    return {
      update(line) {
        if (line === last) return;
        last = line;
        const width = Math.max(20, (stream.columns ?? 80) - 1);
        const shown = line.length > width ? `${line.slice(0, width - 1)}…` : line;
        // Carriage return and erase-line: the same row is rewritten, so a long wait is one line, not a screenful.
        stream.write(`\r\x1b[2K${shown}`);
        drawn = true;
      },
      done() {
        if (drawn) stream.write("\r\x1b[2K");
        drawn = false;
      },
    };
  }
  return {
    update(line) {
      if (line === last) return;
      last = line;
      stream.write(
        `${now()
          .toISOString()
          .replace(/\.\d{3}Z$/, "Z")} ${line}\n`,
      );
    },
    done() {},
  };
}
