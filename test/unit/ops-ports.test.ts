import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { claimPort, ephemeralLow, pickInstancePort, releaseReservation } from '../../src/local/ops/ports.js';

describe('instance ports', () => {
  it('are below the ephemeral range, distinct even when picked concurrently, and skip taken ones', async () => {
    const taken = new Set([20001, 20002]);
    const ports = await Promise.all(Array.from({ length: 40 }, () => pickInstancePort(taken, [20000, 20100])));
    expect(new Set(ports).size).toBe(40);
    expect(ports.every((p) => p >= 20000 && p <= 20100 && !taken.has(p))).toBe(true);
    ports.forEach(releaseReservation);
    const p = await pickInstancePort(new Set());
    releaseReservation(p);
    expect(p).toBeLessThan(ephemeralLow());
  });

  it('refuses an explicit port that something listens on', async () => {
    const srv = net.createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const busy = (srv.address() as net.AddressInfo).port;
    try {
      expect(await claimPort(busy, new Set())).toBe(false);
    } finally {
      srv.close();
    }
    expect(await claimPort(busy, new Set([busy]))).toBe(false);
  });
});
