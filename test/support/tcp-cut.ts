// A TCP relay to a server that a test can cut (every connection reset, new ones refused) and
// restore: a database that goes away and comes back, without stopping the real one.

import type { AddressInfo } from "node:net";
import { createServer, type Server, type Socket, connect as tcpConnect } from "node:net";

export interface TcpCut {
  port: number;
  /** Resets every open connection and refuses new ones until restore(). */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startTcpCut(target: { host: string; port: number }): Promise<TcpCut> {
  let down = false;
  const open = new Set<Socket>();
  const server: Server = createServer((client) => {
    if (down) {
      client.resetAndDestroy();
      return;
    }
    const upstream = tcpConnect(target.port, target.host);
    open.add(client);
    open.add(upstream);
    const drop = () => {
      open.delete(client);
      open.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.on("error", drop).on("close", drop);
    upstream.on("error", drop).on("close", drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    cut() {
      down = true;
      for (const s of open) s.resetAndDestroy();
      open.clear();
    },
    restore() {
      down = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** `url` with its host and port replaced by the relay's. */
export function viaRelay(url: string, relay: TcpCut): string {
  const u = new URL(url);
  u.hostname = "127.0.0.1";
  u.port = String(relay.port);
  return u.toString();
}
