/**
 * `HostInfo`: the `host:port` an instance gives as `application.server`, naming where its interactive queries are
 * served (Kafka's `org.apache.kafka.streams.state.HostInfo`). `HostInfo.unavailable()` (`unavailable:-1`) stands
 * for "no instance known".
 */
import { ConfigException } from '../errors';

export class HostInfo {
  constructor(
    readonly hostName: string,
    readonly portNumber: number,
  ) {}

  /** Parses `host:port` (IPv6 hosts in brackets); `""` gives null. Throws a `ConfigException` naming the endpoint. */
  static buildFromEndpoint(endpoint: string): HostInfo | null {
    if (endpoint === '') return null;
    const i = endpoint.lastIndexOf(':');
    const host = i > 0 ? endpoint.slice(0, i).replace(/^\[(.*)\]$/, '$1') : '';
    const port = i > 0 ? Number(endpoint.slice(i + 1)) : NaN;
    if (host === '' || !Number.isInteger(port) || port < 0 || port > 65535) {
      throw new ConfigException(`Error parsing host address ${endpoint}. Expected format host:port.`);
    }
    return new HostInfo(host, port);
  }

  /** Kafka's `HostInfo.unavailable()`: host `unavailable`, port -1. */
  static unavailable(): HostInfo {
    return UNAVAILABLE;
  }

  host(): string {
    return this.hostName;
  }

  port(): number {
    return this.portNumber;
  }

  equals(other: unknown): boolean {
    return other instanceof HostInfo && other.hostName === this.hostName && other.portNumber === this.portNumber;
  }

  /** `host:port`, the form used in `application.server` and in URLs. */
  endpoint(): string {
    return this.hostName.includes(':') ? `[${this.hostName}]:${this.portNumber}` : `${this.hostName}:${this.portNumber}`;
  }

  toString(): string {
    return `HostInfo{host='${this.hostName}', port=${this.portNumber}}`;
  }

  toJSON(): { host: string; port: number } {
    return { host: this.hostName, port: this.portNumber };
  }
}

const UNAVAILABLE = new HostInfo('unavailable', -1);
