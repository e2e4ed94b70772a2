// Serves discovery: /apis (legacy and aggregated), /apis/{group}, /apis/{group}/{version}, /version.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { notAcceptable, pathNotFound } from '../machinery/errors.js';
import type { ResourceDefinition } from '../registry/resource.js';
import { aggregatedDiscovery, apiGroup, apiGroupList, apiResourceList, etagOf, negotiateDiscovery } from './discovery.js';

/** Documents are fixed for the life of the process: render them once. */
export class DiscoveryDocuments {
  private readonly legacyRoot: Buffer;
  private readonly aggregated: Record<'v2' | 'v2beta1', { body: Buffer; etag: string }>;

  constructor(private readonly defs: ResourceDefinition[]) {
    // Buffers keep Fastify from appending a charset to the Content-Type.
    this.legacyRoot = Buffer.from(JSON.stringify(apiGroupList(defs)) + '\n');
    const render = (v: 'v2' | 'v2beta1') => {
      const body = JSON.stringify(aggregatedDiscovery(defs, v)) + '\n';
      return { body: Buffer.from(body), etag: etagOf(body) };
    };
    this.aggregated = { v2: render('v2'), v2beta1: render('v2beta1') };
  }

  root(req: FastifyRequest, reply: FastifyReply): FastifyReply {
    const choice = negotiateDiscovery(req.headers.accept);
    if (choice === 'not-acceptable') throw notAcceptable(['application/json', 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList']);
    if (choice === 'legacy') return reply.header('content-type', 'application/json').send(this.legacyRoot);
    const doc = this.aggregated[choice];
    reply
      .header('content-type', `application/json;g=apidiscovery.k8s.io;v=${choice};as=APIGroupDiscoveryList`)
      .header('etag', doc.etag)
      .header('vary', 'Accept')
      .header('cache-control', 'public');
    if (req.headers['if-none-match'] === doc.etag) return reply.code(304).send();
    return reply.send(doc.body);
  }

  group(group: string, reply: FastifyReply): FastifyReply {
    const doc = apiGroup(this.defs, group);
    if (!doc) throw pathNotFound();
    return reply.header('content-type', 'application/json').send(Buffer.from(JSON.stringify(doc) + '\n'));
  }

  groupVersion(group: string, version: string, reply: FastifyReply): FastifyReply {
    const doc = apiResourceList(this.defs, group, version);
    if (!doc) throw pathNotFound();
    return reply.header('content-type', 'application/json').send(Buffer.from(JSON.stringify(doc) + '\n'));
  }
}

export function versionInfo(version: string): Record<string, string> {
  return {
    major: '1',
    minor: '32',
    gitVersion: `v${version}`,
    gitCommit: '',
    gitTreeState: 'clean',
    buildDate: '',
    goVersion: process.version,
    compiler: 'node',
    platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
  };
}
