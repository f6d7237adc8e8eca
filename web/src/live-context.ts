import { createContext, useContext } from 'react';

/** Goes up whenever live news arrived (debounced); pages reload their data when it changes. */
export const LiveContext = createContext(0);

export function useLiveTick(): number {
  return useContext(LiveContext);
}
