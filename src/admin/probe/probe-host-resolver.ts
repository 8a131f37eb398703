import { Injectable } from '@nestjs/common';
import { promises as dns } from 'node:dns';

/** DNS for the connection test; a class so a test could stand in for the network. */
@Injectable()
export class ProbeHostResolver {
  async lookup(host: string): Promise<string> {
    return (await dns.lookup(host, { verbatim: true })).address;
  }
}
