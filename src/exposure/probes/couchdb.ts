import { getInOrder, parseJson } from '../http-get.ts';
import { notReached, type Probe, someNames } from '../probe.ts';

// CouchDB: `/_all_dbs` lists the databases; an admin party (no admin configured) answers anyone.

const ASKED = 'GET /_all_dbs';

export const probeCouchDb: Probe = async (target, options) => {
  let answer: Awaited<ReturnType<typeof getInOrder>>[number] | undefined;
  try {
    [answer] = await getInOrder(target, ['/_all_dbs'], options);
  } catch (error) {
    return notReached('couchdb', ASKED, error);
  }
  if (!answer) return notReached('couchdb', ASKED, new Error('no answer'));
  const base = { check: 'couchdb' as const, asked: ASKED, reached: true, facts: {} };
  if (answer.status === 401 || answer.status === 403) {
    return { ...base, access: 'protected', answered: `${answer.status}: credentials required` };
  }
  const list = parseJson(answer.body);
  if (answer.status !== 200 || !Array.isArray(list)) {
    return { ...base, access: 'unknown', answered: `${answer.status}: not a CouchDB answer` };
  }
  const names = list.filter((n): n is string => typeof n === 'string' && !n.startsWith('_'));
  return {
    ...base,
    access: 'open',
    facts: {
      product: 'CouchDB',
      databases: names.length,
      ...(names.length ? { databaseNames: someNames(names) } : {}),
    },
    answered: `200: ${names.length} database${names.length === 1 ? '' : 's'} listed without credentials`,
  };
};
