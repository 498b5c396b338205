// Which side of a connection a port is on: the one definition of service ports, ephemeral ports and replies,
// read by format inference (which column is the source port) and by the triggers (a reply is not an attempt). PURE.
import { serviceName } from './decode';

/**
 * Ports from here on are ephemeral on every common system: Linux uses 32768–60999, IANA (and Windows, macOS,
 * the BSDs) 49152–65535. A service's default port never lies here; a user may still watch one (trigger ports).
 */
export const EPHEMERAL_FROM = 32768;

/** A port a service listens on: a system port (below 1024), or a well-known service port below the ephemeral range. */
export function isServicePort(p: number): boolean {
  return p >= 0 && (p < 1024 || (p < EPHEMERAL_FROM && serviceName(p) !== undefined));
}

/** A client-side port: in the ephemeral range, or a registered port (1024 and up) that no well-known service uses. */
export function isEphemeralPort(p: number): boolean {
  return p >= 1024 && p <= 65535 && (p >= EPHEMERAL_FROM || serviceName(p) === undefined);
}

/**
 * Whether a flow from `srcport` to `dstport` is the reply half of a connection: from a service port to an
 * ephemeral one. A rejected reply is return traffic that was blocked (typically by a stateless network ACL
 * without an outbound rule for the ephemeral range), not an attempt to reach the destination port.
 * Unknown ports (-1) never make a reply.
 */
export function isReply(srcport: number, dstport: number): boolean {
  return isServicePort(srcport) && isEphemeralPort(dstport);
}
