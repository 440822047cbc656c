import { metaflowError, validateMetaflow } from '../../../src/backends/kazoo/metaflow';

describe('validateMetaflow', () => {
  it('accepts a module alone, with data, and with nested children', () => {
    expect(validateMetaflow({ module: 'hangup' })).toEqual([]);
    expect(validateMetaflow({ module: 'transfer', data: { target: '2600', leg: 'bleg' } })).toEqual([]);
    expect(
      validateMetaflow({
        module: 'say',
        data: {},
        children: { _: { module: 'hangup' }, '1': { module: 'park', children: {} } },
      }),
    ).toEqual([]);
  });

  it('requires module', () => {
    expect(validateMetaflow({ data: {} })).toEqual([
      { field: 'module', rule: 'required', message: 'Field is required but missing' },
    ]);
  });

  it('checks module type and length 1..64', () => {
    expect(validateMetaflow({ module: 3 })).toEqual([
      { field: 'module', rule: 'type', message: 'Value did not match type(s): string' },
    ]);
    expect(validateMetaflow({ module: '' })).toEqual([
      { field: 'module', rule: 'minLength', message: 'String must be at least 1 characters' },
    ]);
    expect(validateMetaflow({ module: 'm'.repeat(64) })).toEqual([]);
    expect(validateMetaflow({ module: 'm'.repeat(65) })).toEqual([
      { field: 'module', rule: 'maxLength', message: 'String must not be more than 64 characters' },
    ]);
  });

  it('data and children must be objects', () => {
    expect(validateMetaflow({ module: 'x', data: [] })).toEqual([
      { field: 'data', rule: 'type', message: 'Value did not match type(s): object' },
    ]);
    expect(validateMetaflow({ module: 'x', children: 'no' })).toEqual([
      { field: 'children', rule: 'type', message: 'Value did not match type(s): object' },
    ]);
  });

  it('validates children recursively with dotted paths (literal dots escaped)', () => {
    expect(
      validateMetaflow({ module: 'x', children: { _: { data: {} }, 'a.b': { module: 'y', children: { z: 5 } } } }),
    ).toEqual([
      { field: 'children._.module', rule: 'required', message: 'Field is required but missing' },
      { field: 'children.a%2Eb.children.z', rule: 'type', message: 'Value did not match type(s): object (got number)' },
    ]);
  });

  it('the root must be an object', () => {
    expect(validateMetaflow(null)).toEqual([
      { field: '(root)', rule: 'type', message: 'Value did not match type(s): object (got null)' },
    ]);
  });
});

describe('metaflowError', () => {
  it('is null when valid, else BAD_USER_INPUT with the issues', () => {
    expect(metaflowError({ module: 'hangup' })).toBeNull();
    const e = metaflowError({});
    expect(e?.code).toBe('BAD_USER_INPUT');
    expect(e?.message).toBe('invalid metaflow: module: Field is required but missing');
    expect(e?.details.validation).toEqual([
      { field: 'module', rule: 'required', message: 'Field is required but missing' },
    ]);
  });
});
