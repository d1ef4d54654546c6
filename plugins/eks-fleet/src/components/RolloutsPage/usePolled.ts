/*
 * Copyright 2026 The EKS Fleet Authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

import {
  ROLLOUT_SIGNAL_CHANNEL,
  RolloutSignal,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { useSignal } from '@backstage/plugin-signals-react';
import { useEffect, useRef, useState } from 'react';

/** How often an open page asks again without signals. */
const POLL_MS = 3000;
/** With signals, a slow look as well, in case one was missed. */
const SIGNALLED_POLL_MS = 30_000;

/**
 * Loads now, again whenever the backend signals a rollout event that
 * `follows` accepts (every one when unset), and every POLL_MS after each
 * answer as the fallback when the app has no signals (every 30 s with
 * them), while mounted.
 */
export function usePolled<T>(
  load: () => Promise<T>,
  deps: unknown[],
  follows?: (signal: RolloutSignal) => boolean,
) {
  const { lastSignal, isSignalsAvailable } = useSignal<RolloutSignal>(
    ROLLOUT_SIGNAL_CHANNEL,
  );
  const pollMs = isSignalsAvailable ? SIGNALLED_POLL_MS : POLL_MS;
  const [state, setState] = useState<{
    value?: T;
    error?: Error;
    loading: boolean;
  }>({
    loading: true,
  });
  const [tick, setTick] = useState(0);
  const last = useRef<string>();
  const followsRef = useRef(follows);
  followsRef.current = follows;
  useEffect(() => {
    if (lastSignal && (!followsRef.current || followsRef.current(lastSignal))) {
      setTick(t => t + 1);
    }
  }, [lastSignal]);
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // The next look is due once this one has answered, and an answer
    // like the last one renders nothing new.
    const again = () => {
      if (live) {
        timer = setTimeout(() => setTick(t => t + 1), pollMs);
      }
    };
    load().then(
      value => {
        const text = JSON.stringify(value);
        if (live && text !== last.current) {
          last.current = text;
          setState({ value, loading: false });
        }
        again();
      },
      error => {
        if (live) {
          last.current = undefined;
          setState(previous => ({ ...previous, error, loading: false }));
        }
        again();
      },
    );
    return () => {
      live = false;
      if (timer) {
        clearTimeout(timer);
      }
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick, pollMs]);
  return { ...state, reload: () => setTick(t => t + 1) };
}
