import { getInOrder } from '../http-get.ts';
import { notReached, type Probe } from '../probe.ts';

// S3-compatible storage: an anonymous GET of the bucket (path-style URL, or the bucket's own host name)
// answers a ListBucketResult when the bucket is publicly listable, and AccessDenied when it is not.
// Only the bucket name and how many keys the first page holds are kept.

export const probeS3: Probe = async (target, options) => {
  const path = `${target.path.replace(/\/+$/, '') || ''}/?max-keys=100`;
  const asked = `GET ${path} (anonymous bucket listing)`;
  let answer: Awaited<ReturnType<typeof getInOrder>>[number] | undefined;
  try {
    [answer] = await getInOrder(target, [path], options);
  } catch (error) {
    return notReached('s3', asked, error);
  }
  if (!answer) return notReached('s3', asked, new Error('no answer'));
  const base = { check: 's3' as const, asked, reached: true, facts: {} };
  if (answer.status === 200 && /<ListBucketResult[\s>]/.test(answer.body)) {
    const bucket = /<Name>([^<]{1,255})<\/Name>/.exec(answer.body)?.[1] ?? '';
    const keys = answer.body.match(/<Key>/g)?.length ?? 0;
    const truncated = /<IsTruncated>true<\/IsTruncated>/.test(answer.body);
    return {
      ...base,
      access: 'open',
      facts: { product: 'S3', ...(bucket ? { bucket } : {}), objectsOnFirstPage: keys },
      answered: `200: ListBucketResult, ${keys}${truncated ? '+' : ''} object${keys === 1 ? '' : 's'} listed anonymously`,
    };
  }
  if (answer.status === 403 || answer.status === 401 || /<Code>AccessDenied<\/Code>/.test(answer.body)) {
    return { ...base, access: 'protected', answered: `${answer.status}: AccessDenied` };
  }
  return { ...base, access: 'unknown', answered: `${answer.status}: not a bucket listing` };
};
