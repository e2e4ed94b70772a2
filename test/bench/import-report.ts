// (f) of the bench: one ImageStreamImport of a 20-tag repository from a local docker-registry, reported as a
// table line and as two JSON keys (null when the registry tools are not installed).
import { missingRegistryTools } from '../support/docker-registry.js';
import { measureRepositoryImport, type ImportBenchFigures } from './import-repository.js';

export const IMPORT_BENCH_TAGS = 20;

export type ImportBench = { figures: ImportBenchFigures } | { skipped: string };

export async function measureImportBench(): Promise<ImportBench> {
  const missing = missingRegistryTools();
  if (missing) return { skipped: missing };
  return { figures: await measureRepositoryImport(IMPORT_BENCH_TAGS) };
}

export function renderImportLine(bench: ImportBench): string {
  if ('skipped' in bench) return `(f) import of a ${IMPORT_BENCH_TAGS}-tag repository: skipped (${bench.skipped})`;
  const f = bench.figures;
  return `(f) import of a ${f.tags}-tag repository: ${f.imported}/${f.tags} tags in ${f.wallSeconds.toFixed(2)} s, ${f.registryRequests} requests to the registry`;
}

export function importJson(bench: ImportBench): { import_20_tags_seconds: number | null; import_20_tags_registry_requests: number | null } {
  if ('skipped' in bench) return { import_20_tags_seconds: null, import_20_tags_registry_requests: null };
  return { import_20_tags_seconds: Math.round(bench.figures.wallSeconds * 1000) / 1000, import_20_tags_registry_requests: bench.figures.registryRequests };
}

/** Not every tag imported: the figures describe a failed import. */
export function importFailed(bench: ImportBench): boolean {
  return 'figures' in bench && bench.figures.imported < bench.figures.tags;
}
