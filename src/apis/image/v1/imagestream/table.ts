// `oc get is` columns (openshift-apiserver pkg/image/printers/internalversion: printImageStream).
import { column, NAME_COLUMN, timeAgo, type TableConvertor } from '../../../../machinery/table.js';
import { ImageStreamStatusSchema, type ImageStream, type NamedTagEventList } from './types.js';

/** The width openshift-apiserver budgets for the Tags column. */
const TAGS_WIDTH = 40;

/** Go's zero time.Time in milliseconds: what a tag without history sorts as. */
const ZERO_TIME_MS = -62135596800000;

function createdMs(created: string | null | undefined): number {
  const t = created ? Date.parse(created) : NaN;
  return Number.isNaN(t) ? ZERO_TIME_MS : t;
}

/** imageapi.SortStatusTags: newest `items[0].created` (to the second) first, ties and tags without history by name. */
export function sortStatusTags(tags: NamedTagEventList[]): string[] {
  const keyed = tags.map((t) => ({ name: t.tag ?? '', created: Math.round(createdMs(t.items?.[0]?.created) / 1000) }));
  keyed.sort((a, b) => b.created - a.created || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return keyed.map((t) => t.name);
}

/**
 * printTagsUpToWidth: as many tags as fit in `width` characters, at least one, and a little more when the
 * overflow stays within a quarter of the width, so the column edges look even; the rest is counted.
 */
export function printTagsUpToWidth(statusTags: NamedTagEventList[], width: number): string {
  let tags = sortStatusTags(statusTags);
  let remaining = width;
  const margin = Math.trunc(width / 4);
  for (let i = 0; i < tags.length; i++) {
    const tag = tags[i];
    remaining -= tag.length + 1;
    if (remaining >= 0) continue;
    if (i === 0) {
      tags = tags.slice(0, 1);
      break;
    }
    if (margin < remaining + tag.length && margin >= -remaining) continue;
    tags = tags.slice(0, i);
    break;
  }
  const hidden = statusTags.length - tags.length;
  return hidden > 0 ? `${tags.join(',')} + ${hidden} more...` : tags.join(',');
}

/** The public repository when the registry is exposed, else the spec's, else the one the server assigned. */
export function imageRepository(stream: ImageStream): string {
  if (stream.status?.publicDockerImageRepository) return stream.status.publicDockerImageRepository;
  return stream.spec?.dockerImageRepository || stream.status?.dockerImageRepository || '';
}

/** The newest `items[0].created` of all status tags, or undefined when no tag has history. */
export function lastTagUpdate(stream: ImageStream): string | undefined {
  let latest: string | undefined;
  let latestMs = ZERO_TIME_MS;
  for (const list of stream.status?.tags ?? []) {
    const created = list.items?.[0]?.created;
    if (!created) continue;
    const ms = createdMs(created);
    if (ms > latestMs) {
      latest = created;
      latestMs = ms;
    }
  }
  return latest;
}

// Typed for any object because the ImageStream definition is registered as ResourceDefinition<KubeObject>.
export const imageStreamTable: TableConvertor = {
  columns: [
    NAME_COLUMN,
    column('Image Repository', ImageStreamStatusSchema.properties.dockerImageRepository.description ?? ''),
    column('Tags', 'Human readable list of tags.'),
    column('Updated', 'Last update time.'),
  ],
  cells: (obj, now) => {
    const stream = obj as ImageStream;
    const updated = lastTagUpdate(stream);
    return [
      stream.metadata.name ?? '',
      imageRepository(stream),
      printTagsUpToWidth(stream.status?.tags ?? [], TAGS_WIDTH),
      updated === undefined ? '' : timeAgo(updated, now),
    ];
  },
};
