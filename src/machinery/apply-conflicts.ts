// Apply conflicts: which fields another manager owns with a different value, and the 409 kube-apiserver
// answers with (k8s.io/apimachinery pkg/util/managedfields/internal/conflict.go,
// structured-merge-diff merge/conflict.go).
import { goQuote } from './decode.js';
import { StatusError } from './errors.js';
import type { FieldSet } from './managed-fields.js';
import { comparePathElements, pathString } from './apply-schema.js';

export interface Conflict {
  /** The manager identifier (managerIdentifier() JSON). */
  manager: string;
  /** Path elements as in FieldsV1, e.g. ['f:spec', 'k:{"name":"latest"}', 'f:from']. */
  path: string[];
}

/** Thrown by one apply attempt; the caller may forgive some conflicts (kubectl's last-applied rule) and retry. */
export class ApplyConflicts extends Error {
  constructor(readonly conflicts: Conflict[]) {
    super(`${conflicts.length} apply conflicts`);
  }
}

/** fieldpath.Set.Iterate: at each level the owned elements in order, then the subtrees in order. */
export function setPaths(set: FieldSet, prefix: string[] = []): string[][] {
  const keys = [...set.children.keys()].sort(comparePathElements);
  const out: string[][] = [];
  for (const k of keys) if (set.children.get(k)!.member) out.push([...prefix, k]);
  for (const k of keys) {
    const node = set.children.get(k)!;
    if (node.children.size > 0) out.push(...setPaths(node, [...prefix, k]));
  }
  return out;
}

export function hasPath(set: FieldSet, path: readonly string[]): boolean {
  let node: FieldSet | undefined = set;
  for (const pe of path) {
    node = node.children.get(pe);
    if (!node) return false;
  }
  return path.length > 0 && node.member;
}

/** ConflictsFromManagers, with managers in identifier order so the result is stable. */
export function conflictsFromManagers(sets: ReadonlyMap<string, FieldSet>): Conflict[] {
  const managers = [...sets.keys()].sort();
  return managers.flatMap((manager) => setPaths(sets.get(manager)!).map((path) => ({ manager, path })));
}

/** printManager: `"name"`, plus ` with subresource "status"` and, for Update entries, ` using <apiVersion>`. */
export function printManager(identifier: string): string {
  let entry: { manager?: string; operation?: string; apiVersion?: string; subresource?: string };
  try {
    entry = JSON.parse(identifier) as typeof entry;
  } catch {
    return goQuote(identifier);
  }
  let out = goQuote(entry.manager ?? '');
  if (entry.subresource) out += ` with subresource ${goQuote(entry.subresource)}`;
  if (entry.operation === 'Update') out += ` using ${entry.apiVersion ?? ''}`;
  return out;
}

function conflictMessage(conflicts: readonly Conflict[]): string {
  if (conflicts.length === 1) {
    const [c] = conflicts;
    return `Apply failed with 1 conflict: conflict with ${printManager(c.manager)}: ${pathString(c.path)}`;
  }
  const byManager = new Map<string, string[]>();
  for (const c of conflicts) byManager.set(c.manager, [...(byManager.get(c.manager) ?? []), pathString(c.path)]);
  const lines: string[] = [];
  for (const manager of [...byManager.keys()].sort()) {
    lines.push(`conflicts with ${printManager(manager)}:`, ...byManager.get(manager)!.map((p) => `- ${p}`));
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}

/** NewConflictError: 409 Conflict with one FieldManagerConflict cause per field. */
export function conflictError(conflicts: readonly Conflict[]): StatusError {
  return new StatusError(409, 'Conflict', conflictMessage(conflicts), {
    causes: conflicts.map((c) => ({
      reason: 'FieldManagerConflict',
      message: `conflict with ${printManager(c.manager)}`,
      field: pathString(c.path),
    })),
  });
}
