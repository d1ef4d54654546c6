import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// Component tests render a whole test app; on a busy machine that takes
// seconds, not milliseconds. Waits and tests get room for that.
configure({ asyncUtilTimeout: 10_000 });
jest.setTimeout(30_000);

// jsdom lays nothing out: React Flow (the blast-radius graph) observes its
// nodes' sizes and reads the viewport's transform.
class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}
if (!('ResizeObserver' in window)) {
  Object.assign(window, { ResizeObserver: ResizeObserverStub });
  Object.assign(global, { ResizeObserver: ResizeObserverStub });
}
if (!('DOMMatrixReadOnly' in window)) {
  class DOMMatrixReadOnlyStub {
    m22: number;
    constructor(transform?: string) {
      const scale = /scale\(([\d.]+)\)/.exec(transform ?? '')?.[1];
      this.m22 = scale ? Number(scale) : 1;
    }
  }
  Object.assign(window, { DOMMatrixReadOnly: DOMMatrixReadOnlyStub });
}
