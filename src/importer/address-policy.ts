// Which network addresses an import may reach. A pull spec is user input, so without a rule anyone allowed
// to import could make the server fetch from cloud metadata services or link-local hosts. Those addresses are
// refused unless the cluster's image configuration names the registry host explicitly.
import { isIP } from 'node:net';

/** Hosts (lower-cased, without port) the policy names; they may resolve to any address. */
export type ExplicitHosts = ReadonlySet<string>;

/** IPv4 ranges in [first, last] form: link-local (incl. 169.254.169.254) and other clouds' metadata IPs. */
const IPV4_REFUSED: [number, number][] = [
  [ipv4ToInt('169.254.0.0'), ipv4ToInt('169.254.255.255')],
  [ipv4ToInt('100.100.100.200'), ipv4ToInt('100.100.100.200')],
];

function ipv4ToInt(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

/** The 8 groups of an IPv6 address, or undefined when it is not one. */
function ipv6Groups(ip: string): number[] | undefined {
  let text = ip.toLowerCase();
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  const lastColon = text.lastIndexOf(':');
  const last = text.slice(lastColon + 1);
  if (last.includes('.')) {
    if (isIP(last) !== 4) return undefined;
    const v4 = ipv4ToInt(last);
    text = `${text.slice(0, lastColon + 1)}${Math.floor(v4 / 65536).toString(16)}:${(v4 % 65536).toString(16)}`;
  }
  const [head, rest] = text.includes('::') ? text.split('::') : [text, undefined];
  const parse = (s: string) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const left = parse(head);
  const right = rest === undefined ? [] : parse(rest);
  const missing = 8 - left.length - right.length;
  if (rest === undefined && missing !== 0) return undefined;
  const groups = [...left, ...new Array(Math.max(missing, 0)).fill(0), ...right];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : undefined;
}

/** Whether an IP address is link-local or a well-known cloud metadata address. */
export function isRefusedAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 4) {
    const n = ipv4ToInt(ip);
    return IPV4_REFUSED.some(([first, last]) => n >= first && n <= last);
  }
  if (family !== 6) return false;
  const groups = ipv6Groups(ip);
  if (!groups) return false;
  // fe80::/10 link-local.
  if ((groups[0] & 0xffc0) === 0xfe80) return true;
  // fd00:ec2::254, the IPv6 instance metadata service.
  if (groups.join(':') === [0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254].join(':')) return true;
  // IPv4-mapped addresses are checked as IPv4.
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return isRefusedAddress(`${groups[6] >> 8}.${groups[6] & 0xff}.${groups[7] >> 8}.${groups[7] & 0xff}`);
  }
  return false;
}

/** Why a connection to `address` for `host` is refused, or undefined when it may go ahead. */
export function addressRefusal(host: string, address: string, explicit: ExplicitHosts): string | undefined {
  if (!isRefusedAddress(address)) return undefined;
  if (explicit.has(host.toLowerCase().replace(/^\[|\]$/g, ''))) return undefined;
  return `connection to ${address} refused: link-local and metadata addresses are only reachable for registries named in the cluster image configuration`;
}
