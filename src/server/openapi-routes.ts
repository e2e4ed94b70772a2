// Serves /openapi/v2 and /openapi/v3 (+ per group-version documents) with kube-openapi's caching headers.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { pathNotFound } from '../machinery/errors.js';
import type { ResourceDefinition } from '../registry/resource.js';
import { subresourceSchemas } from '../apis/subresource-schemas.js';
import { hashOf, openAPIv2, openAPIv3GroupVersion, openAPIv3Index, type SwaggerDocument } from './openapi.js';
import { swaggerToProtobuf } from './openapi-v2-protobuf.js';
import { parseAccept } from './negotiation.js';

interface Rendered {
  body: Buffer;
  hash: string;
}

const V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

/**
 * kube-openapi's /openapi/v2 media types, in its order: the first Accept clause (goautoneg order) matching one
 * of them, wildcards included, picks the form. Both protobuf spellings are answered with the current one.
 */
const V2_FORMATS: { subtype: string; protobuf: boolean }[] = [
  { subtype: 'json', protobuf: false },
  { subtype: 'com.github.proto-openapi.spec.v2@v1.0+protobuf', protobuf: true },
  { subtype: 'com.github.proto-openapi.spec.v2.v1.0+protobuf', protobuf: true },
];

export class OpenAPIDocuments {
  private readonly v2: Rendered;
  private readonly swagger: SwaggerDocument;
  /** The protobuf form, encoded on first use (only kubectl's rarer paths ask for it); it has the JSON form's ETag. */
  private v2Protobuf: Buffer | undefined;
  private readonly v3Index: Rendered;
  private readonly v3: Map<string, Rendered> = new Map();

  constructor(defs: ResourceDefinition[], patchTypes: (def: ResourceDefinition) => string[]) {
    const render = (doc: unknown): Rendered => {
      const body = JSON.stringify(doc);
      return { body: Buffer.from(body), hash: hashOf(body) };
    };
    this.swagger = openAPIv2(defs, { patchTypes, subresourceSchemas });
    this.v2 = render(this.swagger);
    const gvs = [...new Set(defs.map((d) => `${d.group}/${d.version}`))];
    for (const gv of gvs) {
      const [group, version] = gv.split('/');
      this.v3.set(`apis/${gv}`, render(openAPIv3GroupVersion(defs, group, version, { patchTypes, subresourceSchemas })));
    }
    this.v3Index = render(openAPIv3Index([...this.v3].map(([path, r]) => ({ path, hash: r.hash }))));
  }

  serveV2(req: FastifyRequest, reply: FastifyReply): FastifyReply {
    const format = v2Format(req.headers.accept);
    if (!format) return reply.code(406).header('vary', 'Accept').send();
    if (!format.protobuf) return this.send(req, reply, this.v2, false);
    this.v2Protobuf ??= Buffer.from(swaggerToProtobuf(this.swagger));
    return this.send(req, reply, { body: this.v2Protobuf, hash: this.v2.hash }, false, V2_PROTOBUF);
  }

  serveV3Index(req: FastifyRequest, reply: FastifyReply): FastifyReply {
    if (!acceptsJSON(req.headers.accept)) return reply.code(406).send();
    return this.send(req, reply, this.v3Index, false);
  }

  serveV3(path: string, req: FastifyRequest, reply: FastifyReply): FastifyReply {
    const doc = this.v3.get(path);
    if (!doc) throw pathNotFound();
    if (!acceptsJSON(req.headers.accept)) return reply.code(406).send();
    const hash = (req.query as Record<string, string | undefined>).hash;
    // A stale hash gets the current document without immutable caching (a redirect would be a 502 behind the aggregator).
    return this.send(req, reply, doc, hash === doc.hash);
  }

  private send(req: FastifyRequest, reply: FastifyReply, doc: Rendered, immutable: boolean, contentType = 'application/json'): FastifyReply {
    const etag = `"${doc.hash}"`;
    reply.header('content-type', contentType).header('etag', etag).header('vary', 'Accept');
    if (immutable) {
      reply.header('cache-control', 'public, immutable').header('expires', new Date(Date.now() + 365 * 24 * 3600 * 1000).toUTCString());
    } else {
      reply.header('cache-control', 'no-cache, private');
    }
    if (req.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.send(doc.body);
  }
}

function v2Format(accept: string | undefined): (typeof V2_FORMATS)[number] | undefined {
  for (const clause of parseAccept(accept || '*/*')) {
    if (clause.type !== 'application' && clause.type !== '*') continue;
    const format = V2_FORMATS.find((f) => clause.subtype === f.subtype || clause.subtype === '*');
    if (format) return format;
  }
  return undefined;
}

function acceptsJSON(accept: string | undefined): boolean {
  const clauses = parseAccept(accept);
  if (clauses.length === 0) return true;
  return clauses.some((c) => (c.type === '*' || c.type === 'application') && (c.subtype === '*' || c.subtype === 'json'));
}
