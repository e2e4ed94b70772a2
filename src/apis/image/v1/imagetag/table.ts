// `oc get itag` columns (openshift-apiserver `pkg/image/printers/internalversion/printer.go`, printImageTag): what
// the spec asks for, where the tag stands, how long its history is and when it last changed.
import { column, NAME_COLUMN, timeAgo, type TableConvertor } from '../../../../machinery/table.js';
import { splitImageStreamTag } from '../imagestream/history.js';
import { ImageTagSchema, type ImageTag } from './types.js';

/** The Spec and Status cells: Tag/Ref/Scheduled/Track/Push, and the source or what stands in its way. */
export function specAndStatus(itag: ImageTag): { spec: string; status: string } {
  let spec = '';
  let status = '';
  let source = '';
  let generation = 0;
  const ref = itag.spec;
  if (ref) {
    spec = 'Tag';
    if (ref.reference) spec = 'Ref';
    if (ref.importPolicy?.scheduled) spec = 'Scheduled';
    generation = ref.generation ?? 0;
    const from = ref.from;
    if (!from) spec = '';
    else {
      const fromName = from.name ?? '';
      switch (from.kind) {
        case 'DockerImage':
          source = fromName;
          break;
        case 'ImageStreamImage': {
          // SplitImageStreamImage: everything after the first `@` is the id.
          const at = fromName.indexOf('@');
          if (at >= 0) source = `image/${fromName.slice(at + 1)}`;
          else status = 'InvalidRefName';
          break;
        }
        case 'ImageStreamTag':
          source = from.namespace ? `istag ${from.namespace}/${fromName}` : `istag/${fromName}`;
          // A tag naming another tag of this stream only is a tracking tag.
          if (!splitImageStreamTag(fromName).ok) spec = 'Track';
          break;
        default:
          status = 'InvalidRefKind';
      }
    }
  }
  const event = itag.status?.items?.[0];
  if (event) {
    const eventGeneration = event.generation ?? 0;
    if (generation > 0 && eventGeneration > 0 && eventGeneration < generation) status = 'Importing';
    else if (event.image) source = `image/${event.image}`;
    else if (event.dockerImageReference) source = event.dockerImageReference;
    if (source && !spec) spec = 'Push';
    else if (spec !== 'Track' && generation > 0 && eventGeneration > 0 && eventGeneration > generation) spec = 'Push';
  }
  for (const condition of itag.status?.conditions ?? []) {
    if (condition.type === 'ImportSuccess' && condition.status === 'False') status = `ImportFailed (${condition.reason ?? ''})`;
  }
  return { spec, status: status || source };
}

/** The newest of the current event's creation and the conditions' transitions; undefined when there is none. */
export function lastUpdate(itag: ImageTag): string | undefined {
  let last: string | undefined;
  let lastMs = Number.NEGATIVE_INFINITY;
  const consider = (time: string | null | undefined) => {
    const ms = time ? Date.parse(time) : NaN;
    if (!Number.isNaN(ms) && ms > lastMs) {
      last = time!;
      lastMs = ms;
    }
  };
  consider(itag.status?.items?.[0]?.created);
  for (const condition of itag.status?.conditions ?? []) consider(condition.lastTransitionTime);
  return last;
}

export const imageTagTable: TableConvertor<ImageTag> = {
  columns: [
    NAME_COLUMN,
    column('Spec', ImageTagSchema.properties.spec.description ?? ''),
    column('Status', ImageTagSchema.properties.status.description ?? ''),
    column('History', 'Number of history entries', { type: 'number' }),
    column('Updated', 'Last updated at'),
  ],
  cells: (obj, now) => {
    const { spec, status } = specAndStatus(obj);
    const count = obj.status?.items?.length ?? 0;
    const updated = lastUpdate(obj);
    return [obj.metadata.name ?? '', spec, status, count > 0 ? count : null, updated === undefined ? '' : timeAgo(updated, now)];
  },
};
