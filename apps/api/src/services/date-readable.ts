// basic.dateReadable, which legacy adds to every record with a basic.date unless
// hideDateReadable=true (oip-arweave-indexer helpers/elasticsearch.js:3171-3179): the unix-seconds
// date as Date#toDateString, e.g. "Tue Nov 05 2024" (ours reads it in UTC, legacy in its server's zone).
import type { OipRecord } from '@oip/record-store';

export function withDateReadable(record: OipRecord): OipRecord {
  const basic = record.data['basic'];
  const date = basic?.['date'];
  if (typeof date !== 'number' || !Number.isFinite(date) || date === 0) return record;
  const d = new Date(date * 1000);
  if (Number.isNaN(d.getTime())) return record;
  const day = d.toUTCString().slice(0, 16).split(' '); // "Tue, 05 Nov 2024"
  const readable = `${day[0]!.replace(',', '')} ${day[2]} ${day[1]} ${day[3]}`;
  return { ...record, data: { ...record.data, basic: { ...basic, dateReadable: readable } } };
}
