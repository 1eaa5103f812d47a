/** Sample page views for one morning (UTC), including one out-of-order view inside grace and one too late. */
import { DateTime } from 'luxon';

const at = (hhmmss: string): number => DateTime.fromISO(`2026-11-22T${hhmmss}Z`).toMillis();

export interface SampleView {
  readonly user: string;
  readonly page: string;
  readonly viewedAt: number;
}

export const SAMPLE_VIEWS: readonly SampleView[] = [
  { user: 'alice', page: '/home', viewedAt: at('09:00:10') },
  { user: 'bob', page: '/home', viewedAt: at('09:01:00') },
  { user: 'alice', page: '/pricing', viewedAt: at('09:03:30') },
  { user: 'alice', page: '/signup', viewedAt: at('09:05:05') },
  // out of order, but within the 1-minute grace of the 09:00–09:05 window (stream time 09:05:05)
  { user: 'bob', page: '/docs', viewedAt: at('09:04:59') },
  { user: 'bob', page: '/docs/windows', viewedAt: at('09:06:40') },
  // stream time reaches 09:11:00: the 09:05–09:10 window's grace has passed
  { user: 'carol', page: '/home', viewedAt: at('09:11:00') },
  // too late for 09:00–09:05 (closed at 09:06:00): dropped and counted in dropped-records
  { user: 'alice', page: '/late', viewedAt: at('09:02:00') },
  // moves stream time past 09:16:00 so the 09:10–09:15 window closes too
  { user: 'carol', page: '/bye', viewedAt: at('09:16:30') },
];
