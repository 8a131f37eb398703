import { Inject, Injectable } from '@nestjs/common';
import { promises as dns } from 'node:dns';
import ipaddr from 'ipaddr.js';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { InvalidUrlError } from '../common/errors';

/** The outside world a host check needs; a class so tests can replace it. */
@Injectable()
export class HostResolver {
  async resolve(host: string): Promise<string[]> {
    const answers = await dns.lookup(host, { all: true, verbatim: true });
    return answers.map((answer) => answer.address);
  }
}

/** True for loopback, private, link-local and other non-public ranges. */
export function isNonPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return true;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  return parsed.range() !== 'unicast';
}

const CACHE_TTL_MS = 60_000;

/**
 * Refuses destinations that point into our own network (SSRF through the relay), unless
 * ALLOW_PRIVATE_DESTINATIONS is set for tests and local demos. A host that does not resolve
 * now is accepted: it may resolve where the relay runs, and the relay reports it as errored.
 */
@Injectable()
export class DestinationHostPolicy {
  private readonly cache = new Map<string, { nonPublic: boolean; expiresAt: number }>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly resolver: HostResolver,
  ) {}

  /** `user` names what the host is for in the message ("destinations", "slate images"). */
  async assertAllowed(host: string, field: string, user = 'destinations'): Promise<void> {
    if (this.config.ALLOW_PRIVATE_DESTINATIONS) return;
    if (await this.pointsInside(host)) {
      const message = `host "${host}" is a loopback, private or link-local address, which ${user} may not use`;
      throw new InvalidUrlError(`${field}: ${message}`, [{ path: field, message }]);
    }
  }

  private async pointsInside(host: string): Promise<boolean> {
    if (ipaddr.isValid(host)) return isNonPublicAddress(host);
    if (host.toLowerCase() === 'localhost' || host.toLowerCase().endsWith('.localhost')) return true;
    const cached = this.cache.get(host);
    if (cached && cached.expiresAt > Date.now()) return cached.nonPublic;
    let nonPublic = false;
    try {
      nonPublic = (await this.resolver.resolve(host)).some(isNonPublicAddress);
    } catch {
      nonPublic = false;
    }
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(host, { nonPublic, expiresAt: Date.now() + CACHE_TTL_MS });
    return nonPublic;
  }
}
