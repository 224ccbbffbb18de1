import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { findPackageRoot, kafkaPomPath } from './kafka-jars.js';

describe('findPackageRoot', () => {
  it('finds the folder with package.json above this module, and the Kafka pom in it', () => {
    const root = findPackageRoot();
    expect(existsSync(path.join(root, 'package.json'))).toBe(true);
    expect(existsSync(kafkaPomPath())).toBe(true);
    expect(kafkaPomPath()).toBe(path.join(root, 'tools', 'kafka', 'pom.xml'));
  });

  it('throws VIGIL_BROKER_START when there is no package.json up to the file system root', () => {
    expect(() => findPackageRoot(pathToFileURL('/nonexistent-dir/x/y.js').href)).toThrow(
      expect.objectContaining({ code: 'VIGIL_BROKER_START' }),
    );
  });
});
