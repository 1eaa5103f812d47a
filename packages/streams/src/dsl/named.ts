/** `Named`: a user-chosen name for a processor node (KIP-307), instead of a generated `KSTREAM-…-0000000003`. */
import { TopologyException } from '../errors';

const LEGAL = /^[a-zA-Z0-9._-]+$/;

/** Checks a user-given name: at most 249 characters of `[a-zA-Z0-9._-]`, as Kafka's `Named.validate`. */
export function validateName(name: string): void {
  if (name.length === 0) throw new TopologyException('Name is illegal, it can\'t be empty');
  if (name === '.' || name === '..') throw new TopologyException('Name cannot be "." or ".."');
  if (name.length > 249) throw new TopologyException('Name is illegal, it can\'t be longer than 249 characters, name: ' + name);
  if (!LEGAL.test(name)) {
    throw new TopologyException(`Name "${name}" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'`);
  }
}

export class Named {
  private constructor(readonly name: string | null) {
    if (name !== null) validateName(name);
  }

  /** A processor name. @example stream.filter(p, Named.as('drop-empty')) */
  static as(name: string): Named {
    return new Named(name);
  }

  withName(name: string): Named {
    return new Named(name);
  }
}
