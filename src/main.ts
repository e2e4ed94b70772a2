// flags -> Config -> start(); nothing else.
import { parseConfig } from './config.js';
import { start } from './start.js';

try {
  const server = await start(parseConfig(process.argv.slice(2), process.env));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void server.close().then(() => process.exit(0)));
  }
} catch (err) {
  console.error(`image-apiserver: ${(err as Error).message}`);
  process.exit(1);
}
