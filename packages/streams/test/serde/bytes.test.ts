/** `Bytes`: content equality, unsigned ordering, Java-compatible hashCode and toString. */
import { Bytes } from '../../src/serde';

describe('Bytes', () => {
  test('equality is by content, not identity', () => {
    expect(Bytes.wrap(Buffer.from('ab')).equals(Bytes.wrap(Buffer.from('ab')))).toBe(true);
    expect(Bytes.wrap(Buffer.from('ab')).equals(Bytes.wrap(Buffer.from('abc')))).toBe(false);
    expect(Bytes.wrap(Buffer.from('ab')).equals(Buffer.from('ab'))).toBe(false);
  });

  test('order is unsigned lexicographic (0xff sorts after 0x01; a prefix sorts first)', () => {
    const hi = Bytes.wrap(Buffer.from([0xff]));
    const lo = Bytes.wrap(Buffer.from([0x01]));
    expect(hi.compareTo(lo)).toBeGreaterThan(0);
    expect(Bytes.wrap(Buffer.from('a')).compareTo(Bytes.wrap(Buffer.from('ab')))).toBeLessThan(0);
    expect(lo.compareTo(Bytes.wrap(Buffer.from([1])))).toBe(0);
  });

  test('hashCode equals Java Arrays.hashCode(byte[]) (signed bytes)', () => {
    // Arrays.hashCode(new byte[]{}) == 1; {1,2,3} == 30817; {(byte)0xff} == 30; "hello".getBytes() == 31^5 + "hello".hashCode() = 28629151 + 99162322
    expect(Bytes.EMPTY.hashCode()).toBe(1);
    expect(Bytes.wrap(Buffer.from([1, 2, 3])).hashCode()).toBe(30817);
    expect(Bytes.wrap(Buffer.from([0xff])).hashCode()).toBe(30);
    expect(Bytes.wrap(Buffer.from('hello')).hashCode()).toBe(127791473);
  });

  test('toString prints printable ASCII and escapes the rest as Java does', () => {
    expect(Bytes.wrap(Buffer.from([0x6b, 0x00, 0x5c, 0x7e, 0xab])).toString()).toBe('k\\x00\\x5C~\\xAB');
  });

  test('wrap views a Uint8Array without copying and keeps null as null', () => {
    const u8 = new Uint8Array([5, 6, 7]);
    const b = Bytes.wrap(u8.subarray(1));
    expect(b.length).toBe(2);
    u8[1] = 9;
    expect(b.get()[0]).toBe(9);
    expect(Bytes.wrap(null)).toBeNull();
  });
});
