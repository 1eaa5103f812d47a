/**
 * One segment file `%020d.log` of a partition: record batches stored back to back exactly as received
 * (with their assigned base offset). Writes and reads are synchronous positional file calls: the broker
 * is single-threaded, so an append is atomic with respect to every other request.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { OffsetIndex } from './offset-index';

export function segmentFileName(baseOffset: number): string {
  return `${String(baseOffset).padStart(20, '0')}.log`;
}

export class Segment {
  index = new OffsetIndex();
  private fd: number;

  constructor(
    readonly dir: string,
    readonly baseOffset: number,
    public size: number,
  ) {
    this.fd = fs.openSync(this.path, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o644);
  }

  get path(): string {
    return path.join(this.dir, segmentFileName(this.baseOffset));
  }

  /** The offset after the last batch, or the segment's base offset when empty. */
  get nextOffset(): number {
    return this.index.count === 0 ? this.baseOffset : this.index.lastOffset(this.index.count - 1) + 1;
  }

  get maxTimestamp(): number {
    return this.index.maxTimestampOfAll;
  }

  /** Writes bytes at the end of the file; the caller indexes the batches they hold. */
  write(bytes: Buffer): void {
    let written = 0;
    while (written < bytes.length) {
      written += fs.writeSync(this.fd, bytes, written, bytes.length - written, this.size + written);
    }
    this.size += bytes.length;
  }

  read(position: number, length: number): Buffer {
    const buf = Buffer.allocUnsafe(length);
    let got = 0;
    while (got < length) {
      const n = fs.readSync(this.fd, buf, got, length - got, position + got);
      if (n === 0) break;
      got += n;
    }
    return got === length ? buf : buf.subarray(0, got);
  }

  readAll(): Buffer {
    return this.read(0, this.size);
  }

  truncate(size: number): void {
    fs.ftruncateSync(this.fd, size);
    this.size = size;
  }

  flush(): void {
    fs.fsyncSync(this.fd);
  }

  close(): void {
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
  }

  delete(): void {
    this.close();
    fs.rmSync(this.path, { force: true });
  }
}
