import { pino } from 'pino';
import { ConfigException, getLogLevel, getLogger, setLogLevel, setLogger, type Logger } from '@kstreams/streams';
import { captureLogs } from '@kstreams/test-utils';

describe('logging', () => {
  afterEach(() => {
    setLogLevel(undefined, 'kstreams.example');
    setLogLevel(undefined, 'kstreams.example.progress');
  });

  it('levels are per logger name, inherited from the nearest dotted ancestor, root `warn` by default', () => {
    expect(getLogLevel()).toBe('warn');
    // restoration progress shows by default
    expect(getLogLevel('kstreams.restore')).toBe('info');
    expect(getLogLevel('kstreams.example.progress')).toBe('warn');
    setLogLevel('info', 'kstreams.example');
    expect(getLogLevel('kstreams.example.progress')).toBe('info');
    expect(getLogLevel('kstreams.metrics')).toBe('warn');
    setLogLevel('silent', 'kstreams.example.progress');
    expect(getLogLevel('kstreams.example.progress')).toBe('silent');
    expect(() => setLogLevel('loud' as never)).toThrow(ConfigException);
  });

  it('a per-logger override lets one logger through while the root stays at warn', () => {
    const logs = captureLogs();
    try {
      setLogLevel('info', 'kstreams.example');
      getLogger('kstreams.example').info('restoring store s');
      getLogger('kstreams').info('not at info');
      getLogger('kstreams.example').debug('not at debug');
      getLogger('kstreams').warn('careful', new Error('why'));
    } finally {
      logs.stop();
    }
    expect(logs.records).toEqual([
      { level: 'info', logger: 'kstreams.example', message: 'restoring store s' },
      { level: 'warn', logger: 'kstreams', message: 'careful', error: 'why' },
    ]);
  });

  it('writes through an application pino logger as children named after the kstreams logger', () => {
    const lines: Array<{ level: number; name: string; msg: string; app: string }> = [];
    const appLogger = pino({ level: 'trace', base: { app: 'mine' } }, { write: (l: string) => void lines.push(JSON.parse(l)) });
    const before = setLogger(appLogger);
    try {
      getLogger('kstreams').warn('to the app');
    } finally {
      setLogger(before);
    }
    expect(lines.map((l) => [l.level, l.name, l.msg, l.app])).toEqual([[40, 'kstreams', 'to the app', 'mine']]);
  });

  it('a plain Logger backend gets the logger name in front of named loggers’ messages', () => {
    const seen: string[] = [];
    const plain: Logger = { error: (m) => void seen.push(`E ${m}`), warn: (m) => void seen.push(`W ${m}`), info: (m) => void seen.push(`I ${m}`), debug: (m) => void seen.push(`D ${m}`) };
    const before = setLogger(plain);
    try {
      getLogger('kstreams').error('root');
      getLogger('kstreams.example').warn('named');
    } finally {
      setLogger(before);
    }
    expect(seen).toEqual(['E root', 'W [kstreams.example] named']);
  });
});
