import { BlockList, isIP } from 'node:net';

// Which resolved addresses a check may connect to. The bot probes what a vendor declared on the
// internet; an address in a private, loopback, link-local or otherwise non-public range would turn it
// into a probe of our own network (a host name can be pointed anywhere), so those are refused unless
// the deployment says it checks on-premises systems (EXPOSURE_ALLOW_PRIVATE=true).

const NOT_PUBLIC = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  NOT_PUBLIC.addSubnet(net, bits, 'ipv4');
}
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b:1::', 48],
] as const) {
  NOT_PUBLIC.addSubnet(net, bits, 'ipv6');
}

/** True for loopback, private, link-local, carrier-grade NAT, multicast and reserved addresses. */
export function isNonPublicAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return isNonPublicAddress(mapped[1]);
  const family = isIP(address);
  if (family === 0) return true;
  return NOT_PUBLIC.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * The address to connect to, from everything a name resolved to: refused when any of them is not
 * public, so a name that also points inward is not probed at all (and the probe connects to exactly
 * the address vetted here, never resolving again).
 */
export function vetAddresses(
  host: string,
  addresses: readonly string[],
  allowPrivate: boolean,
): { address: string } | { refused: string } {
  if (addresses.length === 0) return { refused: `${host} did not resolve to any address` };
  if (!allowPrivate) {
    const inward = addresses.find(isNonPublicAddress);
    if (inward) {
      return { refused: `${host} resolves to ${inward}, a private, loopback or link-local address: not checked` };
    }
  }
  return { address: addresses[0] ?? '' };
}
