// The peer: PostGraphile 5 (Amber preset, defaults) serving the benchmark database's public
// schema at http://127.0.0.1:$PORT/graphql. Run with: node --require ./polyfill.cjs server.mjs
import { createServer } from 'node:http';
import { postgraphile } from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';

const port = Number(process.env.PORT ?? 5678);
const connectionString = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/amused_bench';
const poolSize = Number(process.env.DATABASE_POOL_SIZE ?? 10);

const preset = {
  extends: [PostGraphileAmberPreset],
  pgServices: [makePgService({ connectionString, schemas: ['public'], poolConfig: { max: poolSize } })],
  grafserv: { port, graphqlPath: '/graphql', graphiql: false, watch: false },
  grafast: { explain: false },
};

const pgl = postgraphile(preset);
const serv = pgl.createServ(grafserv);
const server = createServer();
server.on('error', (err) => {
  console.error(err);
  process.exit(1);
});
await serv.addTo(server);
// builds the schema now rather than on the first request
await pgl.getSchemaResult();
server.listen(port, '127.0.0.1', () => console.log(`peer listening on http://127.0.0.1:${port}/graphql`));

const stop = async () => {
  server.close();
  await pgl.release();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
