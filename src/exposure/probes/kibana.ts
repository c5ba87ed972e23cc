import { getInOrder, isObject, parseJson } from '../http-get.ts';
import { notReached, type Probe } from '../probe.ts';

// Kibana: its status API answers anonymous callers only when security is off, and then the whole
// Elasticsearch behind it is readable through Kibana's consoles.

const ASKED = 'GET /api/status';

export const probeKibana: Probe = async (target, options) => {
  let answer: Awaited<ReturnType<typeof getInOrder>>[number] | undefined;
  try {
    [answer] = await getInOrder(target, ['/api/status'], options);
  } catch (error) {
    return notReached('kibana', ASKED, error);
  }
  if (!answer) return notReached('kibana', ASKED, new Error('no answer'));
  const base = { check: 'kibana' as const, asked: ASKED, reached: true, facts: {} };
  if (answer.status === 401 || answer.status === 403 || (answer.status >= 300 && answer.status < 400)) {
    return { ...base, access: 'protected', answered: `${answer.status}: sign-in required` };
  }
  const status = parseJson(answer.body);
  const version = isObject(status) && isObject(status.version) ? status.version.number : undefined;
  if (answer.status !== 200 || typeof version !== 'string') {
    return { ...base, access: 'unknown', answered: `${answer.status}: not a Kibana answer` };
  }
  return {
    ...base,
    access: 'open',
    facts: { product: 'Kibana', version },
    answered: `200: Kibana ${version} status without sign-in`,
  };
};
