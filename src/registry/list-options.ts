// Parsed list/watch options as the registry consumes them (the HTTP layer parses the query).
import type { FieldSelector, LabelSelector } from '../machinery/selectors.js';

export interface RegistryListOptions {
  labelSelector?: LabelSelector;
  fieldSelector?: FieldSelector;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
  allowWatchBookmarks?: boolean;
  sendInitialEvents?: boolean;
  timeoutSeconds?: number;
}
