import { connect, type Socket } from 'node:net';
import { REDIS_URL } from './env.js';

export interface MonitoredCommand {
  args: string[];
  /** "lua" for a command a script ran, else the client's address. */
  source: string;
}

export interface RedisMonitor {
  commands: MonitoredCommand[];
  stop(): void;
}

const LINE = /^\+\d+\.\d+ \[\d+ ([^\]]+)\] (.*)$/;
const ARG = /"((?:[^"\\]|\\.)*)"/g;

/**
 * Redis MONITOR on a plain socket: resolves once the server confirmed it. ioredis's monitor mode
 * can take a command line that arrives with the confirmation for a reply to nothing ("Command
 * queue state error") when other clients are busy, as other test files are.
 */
export function monitorRedis(url = REDIS_URL): Promise<RedisMonitor> {
  const { hostname, port } = new URL(url);
  const commands: MonitoredCommand[] = [];
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(Number(port || 6379), hostname || '127.0.0.1');
    let pending = '';
    let confirmed = false;
    socket.setEncoding('utf8');
    socket.once('error', reject);
    socket.on('connect', () => socket.write('MONITOR\r\n'));
    socket.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\r\n');
      pending = lines.pop()!;
      for (const line of lines) {
        if (!confirmed) {
          if (line !== '+OK') return reject(new Error(`MONITOR refused: ${line}`));
          confirmed = true;
          resolve({ commands, stop: () => socket.destroy() });
          continue;
        }
        const match = LINE.exec(line);
        if (match) commands.push({ source: match[1]!, args: [...match[2]!.matchAll(ARG)].map((m) => m[1]!.replace(/\\(.)/g, '$1')) });
      }
    });
  });
}
