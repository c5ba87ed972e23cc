import type { CheckKind } from '../../core/exposure/checks.ts';
import type { Observation } from '../../core/exposure/observation.ts';
import { getInOrder, isObject, parseJson } from '../http-get.ts';
import { notReached, type Probe, someNames } from '../probe.ts';

// Elasticsearch and OpenSearch: `GET /` names the product and version; only when that answers without
// credentials is `/_cat/indices` asked, for the index names (metadata), to say what is exposed.

const ASKED = 'GET / then GET /_cat/indices?h=index';

function probeSearch(check: CheckKind): Probe {
  return async (target, options) => {
    let answers: Awaited<ReturnType<typeof getInOrder>>;
    try {
      answers = await getInOrder(target, ['/', '/_cat/indices?h=index'], options, (a) => a.status === 200);
    } catch (error) {
      return notReached(check, ASKED, error);
    }
    const [root, cat] = answers;
    const base: Omit<Observation, 'answered' | 'access'> = { check, asked: ASKED, reached: true, facts: {} };
    if (!root) return notReached(check, ASKED, new Error('no answer'));
    if (root.status === 401 || root.status === 403) {
      return { ...base, access: 'protected', answered: `${root.status}: credentials required` };
    }
    const info = parseJson(root.body);
    const version = isObject(info) && isObject(info.version) ? info.version : null;
    if (root.status !== 200 || !version || typeof version.number !== 'string') {
      return { ...base, access: 'unknown', answered: `${root.status}: not an Elasticsearch/OpenSearch answer` };
    }
    const product = version.distribution === 'opensearch' ? 'OpenSearch' : 'Elasticsearch';
    const facts: Record<string, string | number> = { product, version: version.number };
    if (cat?.status !== 200) {
      // The product answered `/` without credentials; that alone is the exposure, even if listing fails.
      return { ...base, facts, access: 'open', answered: `200: ${product} ${version.number}, index list refused` };
    }
    const indices = cat.body
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('.'));
    facts.indices = indices.length;
    if (indices.length) facts.indexNames = someNames(indices);
    return {
      ...base,
      facts,
      access: 'open',
      answered: `200: ${product} ${version.number}, ${indices.length} ${indices.length === 1 ? 'index' : 'indices'} listed`,
    };
  };
}

export const probeElasticsearch = probeSearch('elasticsearch');
export const probeOpenSearch = probeSearch('opensearch');
