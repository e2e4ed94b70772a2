// `<stream>:<tag>` names of the tag views (imagestreamtags, imagetags) and the errors upstream gives for bad ones.
import { goQuote } from '../../../../machinery/decode.js';
import { badRequest, rawInternal } from '../../../../machinery/errors.js';
import { parseStreamTagName, splitImageStreamTag } from '../imagestream/history.js';

/**
 * The stream and tag a GET/PUT/PATCH/DELETE names (ParseImageStreamTagName), or a 400 with `message`
 * (`ImageStreamTags must be retrieved with <name>:<tag>`, `ImageTags ...`).
 */
export function streamAndTag(name: string, message: string): { stream: string; tag: string } {
  const parsed = parseStreamTagName(name);
  if (!parsed) throw badRequest(message);
  return parsed;
}

/**
 * The stream and tag a create names (SplitImageStreamTag: first `:`, an empty tag is `latest`). Without a `:`
 * upstream returns a plain Go error, which the apiserver sends as a 500 with the empty (Unknown) reason.
 */
export function streamAndTagForCreate(name: string): { stream: string; tag: string } {
  const split = splitImageStreamTag(name);
  if (!split.ok) throw rawInternal(`${goQuote(name)} must be of the form <stream_name>:<tag>`);
  return { stream: split.name, tag: split.tag };
}
