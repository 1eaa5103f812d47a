/**
 * The default partitioner against Kafka's own vectors: `UtilsTest.testMurmur2` (apache/kafka) and kafkajs's
 * Java-generated `defaultJava/murmur2.spec.js`, plus partition choices derived from them.
 */
import { murmur2, partitionForKey, toPositive } from '../../src/runtime/partitioner';

describe('murmur2 equals Java Utils.murmur2', () => {
  // clients/src/test/java/org/apache/kafka/common/utils/UtilsTest.java, testMurmur2
  test.each<[string, number]>([
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ['abc', 479470107],
  ])('Kafka UtilsTest %p -> %p', (input, expected) => {
    expect(murmur2(Buffer.from(input))).toBe(expected);
  });

  // tulios/kafkajs src/producer/partitioners/defaultJava/murmur2.spec.js, "Generated with .../defaultJava/Test.java"
  // (i.e. by the Java client). kafkajs's older default/murmur2.spec.js holds the values of its *legacy*
  // partitioner (float arithmetic, not Java-compatible: '0' -> 272173970), which must not be matched.
  test.each<[string, number]>([
    ['0', 971027396],
    ['1', -1993445489],
    ['128', -326012175],
    ['2187', -1508407203],
    ['16384', -325739742],
    ['78125', -1654490814],
    ['279936', 1462227128],
    ['823543', -2014198330],
    ['2097152', 607668903],
    ['4782969', -1182699775],
    ['10000000', -1830336757],
    ['19487171', -1603849305],
    ['35831808', -857013643],
    ['62748517', -1167431028],
    ['105413504', -381294639],
    ['170859375', -1658323481],
    ['100:48069', 1009543857],
  ])('kafkajs Java-generated %p -> %p', (input, expected) => {
    expect(murmur2(Buffer.from(input))).toBe(expected);
  });

  test('works on a plain Uint8Array view at an offset, without reading outside it', () => {
    const backing = new Uint8Array([0xff, 0x32, 0x31, 0xff]); // "21" in the middle
    expect(murmur2(backing.subarray(1, 3))).toBe(-973932308);
  });

  test('handles bytes >= 0x80 (signed in Java) and the empty array', () => {
    // High bytes are masked with & 0xff in Java; the result is a signed int32.
    const h = murmur2(Buffer.from([0x80, 0xff, 0xfe, 0x7f, 0x81]));
    expect(Number.isInteger(h) && h >= -(2 ** 31) && h < 2 ** 31).toBe(true);
    expect(murmur2(new Uint8Array(0))).toBe(murmur2(Buffer.alloc(0)));
  });
});

describe('toPositive and partitionForKey', () => {
  test('toPositive clears the sign bit like Java (not Math.abs)', () => {
    expect(toPositive(-973932308)).toBe(-973932308 & 0x7fffffff);
    expect(toPositive(-973932308)).toBe(1173551340);
    expect(toPositive(-2147483648)).toBe(0);
    expect(toPositive(-1)).toBe(2147483647);
    expect(toPositive(5)).toBe(5);
  });

  test('partition is toPositive(murmur2(key)) % numPartitions', () => {
    // "21" -> toPositive = 1173551340; % 3 = 0, % 7 = 3, % 100 = 40
    expect(partitionForKey(Buffer.from('21'), 3)).toBe(0);
    expect(partitionForKey(Buffer.from('21'), 7)).toBe(3);
    expect(partitionForKey(Buffer.from('21'), 100)).toBe(40);
    // "foobar" -> -790332482 -> 1357151166
    expect(partitionForKey(Buffer.from('foobar'), 10)).toBe(6);
    expect(partitionForKey(Buffer.from('foobar'), 1)).toBe(0);
  });

  test('spreads keys over all partitions', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(partitionForKey(Buffer.from(`key-${i}`), 16));
    expect(seen.size).toBe(16);
  });
});
