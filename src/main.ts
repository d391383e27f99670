import 'reflect-metadata';
import { setFlagsFromString } from 'node:v8';
import { startApi } from './api.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { closeInfra, connectInfra } from './infra/connect.js';
import { createLogger } from './infra/logger.js';
import { applyMigrations, ensureDatabase } from './infra/migrate.js';
import { Shutdown } from './infra/shutdown.js';
import { createServices } from './services.js';
import { startWorker } from './worker.js';

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

const config = readConfig();
// before anything compiles WebAssembly: Prisma compiles its query compiler on the first query
if (config.wasmLiftoffOnly) setFlagsFromString('--liftoff-only');
const log = createLogger(config.logLevel, config.logFormat);
const shutdown = new Shutdown(log);

async function start(): Promise<void> {
  if (config.migrateOnStart) {
    if (await ensureDatabase(config.databaseUrl)) log.info('created the database');
    const applied = await applyMigrations(config.databaseUrl);
    if (applied.length > 0) log.info({ applied }, 'applied migrations');
  }
  const infra = connectInfra(config, log);
  shutdown.add('connections', () => closeInfra(infra));
  const services = createServices(infra);
  if (config.role === 'api' || config.role === 'live' || config.role === 'all') {
    const api = await startApi(infra, services);
    shutdown.add('api', api.stop);
  }
  if (config.role === 'worker' || config.role === 'all') {
    const worker = await startWorker(infra, services);
    shutdown.add('worker', worker.stop);
  }
}

async function stop(signal: string): Promise<void> {
  if (shutdown.started) return;
  log.info({ signal }, 'shutting down');
  const clean = await shutdown.run(config.shutdownTimeoutMs);
  log.info({ clean }, 'stopped');
  process.exit(clean ? 0 : 1);
}

process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));

start().catch(async (error: unknown) => {
  log.fatal({ err: error }, 'start failed');
  console.error(`start failed: ${error instanceof Error ? error.message : String(error)}`);
  await shutdown.run(2000);
  process.exit(1);
});
