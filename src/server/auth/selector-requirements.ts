// Field and label selectors as SubjectAccessReview requirements (k8s.io/apiserver
// plugin/pkg/authorizer/webhook: fieldSelectorToAuthorizationAPI, labelSelectorToAuthorizationAPI).
// Selectors only narrow a request, so an unparsable selector or an operator the API cannot express
// is left out, which makes the check broader, never narrower.
import { parseFieldSelector, parseLabelSelector } from '../../machinery/selectors.js';

export interface FieldSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn';
  values: string[];
}

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

export function fieldSelectorRequirements(text: string): FieldSelectorRequirement[] {
  if (text === '') return [];
  try {
    return parseFieldSelector(text).requirements.map((r) => ({ key: r.field, operator: r.operator === '=' ? 'In' : 'NotIn', values: [r.value] }));
  } catch {
    return [];
  }
}

export function labelSelectorRequirements(text: string): LabelSelectorRequirement[] {
  if (text === '') return [];
  let canonical: string;
  try {
    canonical = parseLabelSelector(text).toString();
  } catch {
    return [];
  }
  return splitRequirements(canonical).flatMap((r) => {
    const req = requirementOf(r);
    return req ? [req] : [];
  });
}

/**
 * The label selector parser exposes its requirements only as canonical text (sorted by key, `in`
 * sets sorted, no spaces but around in/notin). Keys and values there are validated label names, so
 * that text splits unambiguously on the commas outside parentheses.
 */
function splitRequirements(canonical: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < canonical.length; i++) {
    if (canonical[i] === '(') depth++;
    else if (canonical[i] === ')') depth--;
    else if (canonical[i] === ',' && depth === 0) {
      out.push(canonical.slice(start, i));
      start = i + 1;
    }
  }
  if (canonical !== '') out.push(canonical.slice(start));
  return out;
}

function requirementOf(text: string): LabelSelectorRequirement | undefined {
  if (text.startsWith('!')) return { key: text.slice(1), operator: 'DoesNotExist' };
  const set = /^(.+) (in|notin) \((.*)\)$/.exec(text);
  if (set) {
    const values = set[3] === '' ? [] : set[3].split(',');
    return { key: set[1], operator: set[2] === 'in' ? 'In' : 'NotIn', ...(values.length ? { values } : {}) };
  }
  const binary = /^([^=!<>]+)(==|=|!=|<|>)(.*)$/.exec(text);
  if (!binary) return { key: text, operator: 'Exists' };
  // Greater-than and less-than have no SubjectAccessReview form.
  if (binary[2] === '<' || binary[2] === '>') return undefined;
  return { key: binary[1], operator: binary[2] === '!=' ? 'NotIn' : 'In', values: [binary[3]] };
}
