// The tamper switch: stop using the terminal at once.

import { candidate, type Detector } from './types.ts';

export const securityDetector: Detector = {
  family: 'security',
  detect(x) {
    const h = x.state.health;
    if (h?.test.tamper !== 'true') return [];
    return [candidate('sec.tamper', 0.99, h.since?.tamper ?? x.now, [['tamper switch tripped (tamper=true)', '防拆开关触发（tamper=true）']])];
  },
};
