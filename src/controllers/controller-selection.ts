// `--controllers`, as kube-controller-manager reads it: a comma-separated list where `*` turns on every
// controller that is on by default, `name` turns one on, `-name` turns one off; the first entry that names a
// controller decides for it, and an empty list runs none.

/** Imports spec tags whose generation is newer than what the stream's status observed (Appendix A.1). */
export const IMAGE_IMPORT_CONTROLLER = 'image-import';
/** Re-imports tags with `importPolicy.scheduled: true` every --scheduled-image-import-interval (A.2). */
export const SCHEDULED_IMAGE_IMPORT_CONTROLLER = 'scheduled-image-import';

export const KNOWN_CONTROLLERS: readonly string[] = [IMAGE_IMPORT_CONTROLLER, SCHEDULED_IMAGE_IMPORT_CONTROLLER];
export const CONTROLLERS_OFF_BY_DEFAULT: readonly string[] = [];

/** The flag's default: every controller that is on by default. */
export const DEFAULT_CONTROLLERS = ['*'];

/** pflag's string slice: comma-separated, and the empty text is the empty list. */
export function parseControllerList(text: string): string[] {
  return text === '' ? [] : text.split(',').map((s) => s.trim());
}

/** kube's validation: every entry but `*` must name a known controller, with or without its `-`. */
export function controllerSelectionErrors(selection: readonly string[], known: readonly string[] = KNOWN_CONTROLLERS): string[] {
  return selection
    .filter((entry) => entry !== '*')
    .map((entry) => entry.replace(/^-/, ''))
    .filter((name) => !known.includes(name))
    .map((name) => `${JSON.stringify(name)} is not in the list of known controllers`);
}

/** IsControllerEnabled of k8s.io/controller-manager. */
export function isControllerEnabled(name: string, selection: readonly string[], offByDefault: readonly string[] = CONTROLLERS_OFF_BY_DEFAULT): boolean {
  let star = false;
  for (const entry of selection) {
    if (entry === name) return true;
    if (entry === `-${name}`) return false;
    if (entry === '*') star = true;
  }
  return star && !offByDefault.includes(name);
}
