/**
 * The framework registry: one `FrameworkSemantics` per framework (src/core/frameworks/<fw>/index.ts). Adding a
 * framework is a folder here plus one entry below; the `Record<Framework, …>` tables (this one, the rebuild's in
 * src/rebuild/frameworks/index.ts, and the others the compiler then names) make every place that must know it fail
 * to compile until it does. See docs/adding-a-framework.md.
 */
import type { Framework } from '../model';
import { KERAS } from './keras';
import { PYTORCH } from './pytorch';
import { TFJS } from './tfjs';
import type { FrameworkSemantics } from './types';

export const FRAMEWORKS: Readonly<Record<Framework, FrameworkSemantics>> = { tfjs: TFJS, keras: KERAS, pytorch: PYTORCH };

export type * from './types';
