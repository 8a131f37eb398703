#!/usr/bin/env node
import { prepare } from './prepare.mjs';
import { buildClient } from './build-client.mjs';

prepare({ build: true });
// After the service: nest build empties dist/ first.
buildClient();
