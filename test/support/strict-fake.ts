/**
 * A fake that implements only what a test gives it; any other property access fails the test,
 * so a unit under test cannot quietly depend on something the test did not expect.
 */
export function strictFake<T extends object>(name: string, implementation: Partial<T>): T {
  return new Proxy(implementation as T, {
    get(target, property, receiver) {
      if (property === 'then' || typeof property === 'symbol') return Reflect.get(target, property, receiver);
      if (!(property in target)) throw new Error(`Unexpected use of ${name}.${String(property)}`);
      return Reflect.get(target, property, receiver);
    },
  });
}
