import { writeFile } from 'node:fs/promises';
import { printAppSchema } from '../src/graphql/schema.js';

await writeFile('schema.graphql', await printAppSchema());
console.log('wrote schema.graphql');
