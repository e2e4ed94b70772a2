import { decodeYAML } from './src/machinery/decode.js';
const lines = ['base: &b {k: v}', 'items:'];
for (let i = 0; i < 5000; i++) lines.push(`- {i: ${i}, <<: *b, ref: *b}`);
const y = lines.join('\n');
let t = performance.now(); const r = decodeYAML(y); console.log('decodeYAML ms', performance.now() - t, (r.value as any).items.length);
