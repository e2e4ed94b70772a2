// Server settings for imports. The registry's option contract (src/registry/registry.ts) knows nothing of
// imports, so they travel in an extension of it that start() fills from the flags.
import type { RegistryOptions } from '../../../../registry/registry.js';
import type { ImportLimits } from '../../../../importer/limits.js';
import type { RequestCounter } from '../../../../importer/registry-client.js';

/** One access question of the import shortcut: may the user `create` this image.openshift.io resource? */
export interface ImportAccessReview {
  user: string;
  groups: string[];
  /** `images`, or `imagestreammapping` (singular, as upstream asks). */
  resource: 'images' | 'imagestreammapping';
}

/**
 * Decides the SubjectAccessReviews of the import shortcut; aggregated mode asks kube-apiserver. A thrown
 * error fails the import request with that error.
 */
export interface ImportAuthorizer {
  allowed(review: ImportAccessReview): Promise<boolean>;
}

export interface ImageImportOptions {
  /**
   * `--registry-auth-file`: a docker config file whose credentials every import may use (the standalone
   * counterpart of the node's `/var/lib/kubelet/config.json`); namespace pull secrets take priority.
   */
  registryAuthFile?: string;
  /** `--additional-trusted-ca-file`: PEM certificates trusted for registries besides the system pool. */
  additionalTrustedCAFile?: string;
  /** Aggregated mode: the CAs of the config map named by the cluster Image's `additionalTrustedCA`. */
  additionalTrustedCAs?: () => Promise<string[]>;
  /** `--max-images-bulk-imported-per-repository` (imagePolicyConfig): 0 = the default 50, -1 = unlimited. */
  maxImagesBulkImportedPerRepository?: number;
  /** Absent: everyone may create images (standalone has no authorizer), so the allow-list never applies. */
  authorizer?: ImportAuthorizer;
  /** Bounds of one import; tests and benchmarks lower or lift them. */
  limits?: Partial<ImportLimits>;
  /** Counts requests sent to registries (benchmarks). */
  counter?: RequestCounter;
}

/** RegistryOptions with the import settings. */
export interface ImageImportRegistryOptions extends RegistryOptions {
  imageImport?: ImageImportOptions;
}

export const DEFAULT_MAX_IMAGES_BULK_IMPORTED_PER_REPOSITORY = 50;

/** The tag limit of repository imports as openshift-apiserver reads its config. */
export function maxImagesPerRepository(options: ImageImportOptions): number {
  const configured = options.maxImagesBulkImportedPerRepository ?? 0;
  return configured === 0 ? DEFAULT_MAX_IMAGES_BULK_IMPORTED_PER_REPOSITORY : configured;
}
