// Private-record visibility, one rule for both stores' get/getMany (their searches and counts
// express the same rule in SQL / query DSL).
import type { AccessOption, OipRecord } from './types.js';

/** False when the record is `private` and the viewer is neither its owner nor its creator. */
export function isVisible(record: OipRecord, access: AccessOption | undefined): boolean {
  if (access === undefined) return true;
  const ac = record.data?.['accessControl'];
  if (ac === undefined || ac === null || typeof ac !== 'object' || ac['access_level'] !== 'private') return true;
  const viewer = access.viewerPublicKey;
  if (viewer === null || viewer === '') return false;
  return ac['owner_public_key'] === viewer || ac['created_by'] === viewer;
}
