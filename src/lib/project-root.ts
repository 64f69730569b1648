/** The project's root folder (where package.json is), with a trailing slash. The one such constant. */
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
