// Worker bootstrap: the executor's sources are TypeScript, so register tsx in this thread first.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
