import { getContext, setContext } from 'svelte';
import type { Connector } from './connector.ts';
import type { Meta } from './api-types.ts';

const CONNECTOR = Symbol('connector');

export interface AppServices {
  connector: Connector;
  meta: () => Meta;
}

/** Views get the connector from context, never by import, so a test can hand them another one. */
export function provideServices(services: AppServices): void {
  setContext(CONNECTOR, services);
}

export function useServices(): AppServices {
  const s = getContext<AppServices | undefined>(CONNECTOR);
  if (!s) throw new Error('useServices() outside the app: provideServices() was not called');
  return s;
}
