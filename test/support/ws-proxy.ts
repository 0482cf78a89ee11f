import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

export interface WsProxy {
  /** `127.0.0.1:<port>`, for `neonConfig.wsProxy`. */
  readonly host: string;
  readonly port: number;
  /** WebSocket connections accepted so far. */
  readonly connections: number;
  close(): Promise<void>;
}

/**
 * A WebSocket-to-TCP proxy, what Neon runs in front of Postgres: each WebSocket connection to
 * `/v1?address=host:port` becomes one TCP connection to that address, bytes piped both ways.
 * Lets the @vercel/postgres (Neon serverless) driver talk to a plain local Postgres server.
 */
export async function startWsProxy(): Promise<WsProxy> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  const sockets = new Set<Socket>();
  const clients = new Set<WebSocket>();
  let connections = 0;

  wss.on('connection', (ws, req) => {
    clients.add(ws);
    connections++;
    const address = new URL(req.url ?? '/', 'http://proxy').searchParams.get('address') ?? '';
    const m = /^(.+):(\d+)$/.exec(address);
    if (!m) {
      ws.close(1008, 'address=host:port is required');
      return;
    }
    const tcp = connect({ host: m[1]!, port: Number(m[2]) });
    sockets.add(tcp);
    let connected = false;
    const pending: Buffer[] = [];

    ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
      const chunk = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      if (connected) tcp.write(chunk);
      else pending.push(chunk);
    });
    tcp.on('connect', () => {
      connected = true;
      for (const chunk of pending.splice(0)) tcp.write(chunk);
    });
    tcp.on('data', (chunk) => {
      if (ws.readyState === ws.OPEN) ws.send(chunk);
    });
    const closeWs = () => {
      if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close();
    };
    tcp.on('end', closeWs);
    tcp.on('close', () => {
      sockets.delete(tcp);
      closeWs();
    });
    tcp.on('error', () => closeWs());
    ws.on('close', () => {
      clients.delete(ws);
      tcp.end();
    });
    ws.on('error', () => tcp.destroy());
  });

  await new Promise<void>((resolve, reject) => {
    wss.once('listening', resolve);
    wss.once('error', reject);
  });
  const { port } = wss.address() as AddressInfo;

  return {
    host: `127.0.0.1:${port}`,
    port,
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of clients) ws.terminate();
        for (const s of sockets) s.destroy();
        wss.close(() => resolve());
      }),
  };
}
