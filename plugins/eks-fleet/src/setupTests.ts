import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// Component tests render a whole test app; on a busy machine that takes
// seconds, not milliseconds. Waits and tests get room for that.
configure({ asyncUtilTimeout: 10_000 });
jest.setTimeout(30_000);
