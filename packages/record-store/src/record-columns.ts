// The access and schedule facts a store indexes beside a record (SQLite columns; the same rules
// as schema v2's backfill).
import type { OipRecord } from './types.js';

export interface AccessColumns {
  accessPrivate: boolean;
  ownerKey: string | null;
  createdBy: string | null;
  /** workoutSchedule.scheduled_date / mealPlan.meal_date, unix seconds. */
  scheduledDate: number | null;
}

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function accessColumns(record: OipRecord): AccessColumns {
  const ac = record.data['accessControl'] ?? {};
  const type = record.oip.recordType;
  const scheduledDate =
    type === 'workoutSchedule'
      ? num(record.data['workoutSchedule']?.['scheduled_date'])
      : type === 'mealPlan'
        ? num(record.data['mealPlan']?.['meal_date'])
        : null;
  return {
    accessPrivate: ac['access_level'] === 'private',
    ownerKey: text(ac['owner_public_key']),
    createdBy: text(ac['created_by']),
    scheduledDate,
  };
}
