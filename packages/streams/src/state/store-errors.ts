/** The errors stores raise, with messages that name the store (and path) at fault. */
import { InvalidStateStoreException } from '../errors';

/** A store was used before `init` or after `close`. */
export function storeNotOpen(storeName: string): InvalidStateStoreException {
  return new InvalidStateStoreException(`State store ${storeName} is not open; it may have been closed or not initialised yet.`);
}
