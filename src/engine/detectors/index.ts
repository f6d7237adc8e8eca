// The explicit registry of detectors, one per cause family.

import { accountDetector } from './account.ts';
import { contractDetector } from './contract.ts';
import { environmentDetector } from './environment.ts';
import { hardwareDetector } from './hardware.ts';
import { networkDetector } from './network.ts';
import { providerDetector } from './provider.ts';
import { readerDetector } from './readers.ts';
import { securityDetector } from './security.ts';
import { softwareDetector } from './software.ts';
import type { Detector } from './types.ts';

export const DETECTORS: readonly Detector[] = [
  securityDetector,
  contractDetector,
  hardwareDetector,
  readerDetector,
  softwareDetector,
  networkDetector,
  accountDetector,
  providerDetector,
  environmentDetector,
];

export type { Candidate, Detector, DetectorInput } from './types.ts';
