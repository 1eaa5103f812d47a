/** The errors and warnings stores raise, with messages that name the store (and path) at fault. */
import { InvalidStateStoreException } from '../errors';
import { log } from '../logger';

/** A store was used before `init` or after `close`. */
export function storeNotOpen(storeName: string): InvalidStateStoreException {
  return new InvalidStateStoreException(`State store ${storeName} is not open; it may have been closed or not initialised yet.`);
}

/** Kafka's warning for a range whose `from` key sorts after its `to` key (the range is then empty). */
export function warnInvertedRange(storeName: string): void {
  log.warn(
    `Returning empty iterator for fetch with invalid key range on store ${storeName}: from > to. ` +
      'This may be due to range arguments set in the wrong order, ' +
      "or serdes that don't preserve ordering when lexicographically comparing the serialized bytes. " +
      'Note that the built-in numerical serdes do not follow this for negative numbers',
  );
}
