// Serializing responses the way kube-apiserver does: compact JSON + '\n', pretty JSON, YAML; Status errors; Warning headers.
import type { FastifyReply } from 'fastify';
import { stringify as toYAML } from 'yaml';
import { internalError, isStatusError, StatusError } from '../machinery/errors.js';
import type { OutputTarget } from './negotiation.js';

export function serialize(body: unknown, target: OutputTarget): { contentType: string; payload: string } {
  if (target.format === 'yaml') return { contentType: 'application/yaml', payload: toYAML(sortKeys(body), { lineWidth: 0 }) };
  if (target.pretty) return { contentType: 'application/json', payload: JSON.stringify(body, null, 2) };
  return { contentType: 'application/json', payload: JSON.stringify(body) + '\n' };
}

export function sendObject(reply: FastifyReply, code: number, body: unknown, target: OutputTarget): FastifyReply {
  const { contentType, payload } = serialize(body, target);
  return sendText(reply, code, contentType, payload);
}

/**
 * Sends serialized text with a bare Content-Type (kube sends `application/json`, no charset). A reply
 * serializer keeps Fastify from appending `; charset=utf-8`, and a string body goes out in the same write
 * as the headers (a Buffer body costs a second one).
 */
export function sendText(reply: FastifyReply, code: number, contentType: string, text: string): FastifyReply {
  return reply.code(code).header('content-type', contentType).serializer(asIs).send(text);
}

const asIs = (text: unknown) => text as string;

/** Errors are always JSON, indented, whatever the Accept header asked for (negotiation's error path). */
export function sendError(reply: FastifyReply, err: unknown): FastifyReply {
  const status = toStatusError(err);
  if (status.status.details?.retryAfterSeconds !== undefined) reply.header('retry-after', String(status.status.details.retryAfterSeconds));
  if (status.code === 403) reply.header('x-content-type-options', 'nosniff');
  return sendText(reply, status.code, 'application/json', JSON.stringify(status.status, null, 2));
}

export function toStatusError(err: unknown): StatusError {
  if (isStatusError(err)) return err;
  return internalError(err);
}

/** `Warning: 299 - "<text>"`, one header per distinct warning (k8s.io/apiserver pkg/endpoints/filters/warning.go). */
export function addWarnings(reply: FastifyReply, warnings: string[]): void {
  const seen = new Set<string>();
  const values: string[] = [];
  for (const w of warnings) {
    const text = w.replace(/[\u0000-\u001f\u007f]/g, ' ');
    if (seen.has(text)) continue;
    seen.add(text);
    values.push(`299 - "${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`);
  }
  if (values.length) reply.header('warning', values);
}

/** sigs.k8s.io/yaml goes through a map, so keys come out sorted. */
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v as object).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}
