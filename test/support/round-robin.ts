// A small HTTP load balancer for the replica tests and the bench: each request goes to the next
// replica in turn; a replica that refuses the connection (dead) is skipped for that request, as a
// load balancer's failover would. Bodies and headers pass through untouched (the signature holds).
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface RoundRobin {
  url: string;
  /** Requests sent to each replica (by index), answered or not. */
  sent: number[];
  close(): Promise<void>;
}

export async function startRoundRobin(ports: number[]): Promise<RoundRobin> {
  let next = 0;
  const sent = ports.map(() => 0);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const start = next++ % ports.length;
      const attempt = (tried: number) => {
        if (tried === ports.length) {
          res.writeHead(502).end();
          return;
        }
        const index = (start + tried) % ports.length;
        sent[index] = (sent[index] ?? 0) + 1;
        const out = request(
          {
            host: "127.0.0.1",
            port: ports[index],
            method: req.method,
            path: req.url,
            headers: { ...req.headers, connection: "close" },
          },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        out.on("error", (error: NodeJS.ErrnoException) => {
          // Refused: nothing reached that replica, another may take it. Anything else: a gateway error.
          if (error.code === "ECONNREFUSED") attempt(tried + 1);
          else if (!res.headersSent) res.writeHead(502).end();
          else res.destroy();
        });
        out.end(body);
      };
      attempt(0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/slack/events`,
    sent,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
